package adminapi

import (
	"encoding/base64"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// CLIXML is the response format the real module asks for
// (X-ResponseFormat: clixml): the page's value holds one element whose
// _cliXml string is the PSSerializer form of every object of the page,
// which the module runs through [PSSerializer]::Deserialize.

const clixmlNamespace = "http://schemas.microsoft.com/powershell/2004/04"

// cliWriter builds one <Objs> document; RefIds are unique within it and
// repeated type-name lists are written once and referenced.
type cliWriter struct {
	b      strings.Builder
	nextID int
	tnRefs map[string]int
}

// clixml serializes records; keep projects properties as $select does.
func clixml(records []Record, keep map[string]bool) (string, error) {
	c := &cliWriter{tnRefs: map[string]int{}}
	c.b.WriteString(`<Objs Version="1.1.0.1" xmlns="` + clixmlNamespace + `">`)
	for i, rec := range records {
		if err := c.record(rec, keep); err != nil {
			return "", fmt.Errorf("record %d: %w", i, err)
		}
	}
	c.b.WriteString(`</Objs>`)
	return c.b.String(), nil
}

func (c *cliWriter) ref() int {
	id := c.nextID
	c.nextID++
	return id
}

func nameAttr(name string) string {
	if name == "" {
		return ""
	}
	return ` N="` + cliEscape(name) + `"`
}

// typeNames writes <TN> the first time a list is used, <TNRef> after.
func (c *cliWriter) typeNames(names []string) {
	key := strings.Join(names, "\x00")
	if id, ok := c.tnRefs[key]; ok {
		fmt.Fprintf(&c.b, `<TNRef RefId="%d" />`, id)
		return
	}
	id := len(c.tnRefs)
	c.tnRefs[key] = id
	fmt.Fprintf(&c.b, `<TN RefId="%d">`, id)
	for _, n := range names {
		c.b.WriteString("<T>" + cliEscape(n) + "</T>")
	}
	c.b.WriteString("</TN>")
}

func (c *cliWriter) record(rec Record, keep map[string]bool) error {
	names := rec.TypeNames
	if len(names) == 0 {
		names = []string{"System.Management.Automation.PSCustomObject"}
	}
	if names[len(names)-1] != "System.Object" {
		names = append(append([]string(nil), names...), "System.Object")
	}
	fmt.Fprintf(&c.b, `<Obj RefId="%d">`, c.ref())
	c.typeNames(names)
	c.b.WriteString("<Props>")
	for _, p := range rec.Properties {
		if keep != nil && !keep[strings.ToLower(p.Name)] {
			continue
		}
		if err := c.value(p.Name, p.Value); err != nil {
			return fmt.Errorf("property %q: %w", p.Name, err)
		}
	}
	c.b.WriteString("</Props></Obj>")
	return nil
}

func (c *cliWriter) prim(tag, name, text string) {
	c.b.WriteString("<" + tag + nameAttr(name) + ">" + text + "</" + tag + ">")
}

func (c *cliWriter) value(name string, v any) error {
	switch t := v.(type) {
	case nil:
		c.b.WriteString("<Nil" + nameAttr(name) + " />")
	case string:
		c.prim("S", name, cliEscape(t))
	case bool:
		c.prim("B", name, strconv.FormatBool(t))
	case int:
		if t < math.MinInt32 || t > math.MaxInt32 {
			c.prim("I64", name, strconv.Itoa(t))
		} else {
			c.prim("I32", name, strconv.Itoa(t))
		}
	case int16:
		c.prim("I16", name, strconv.Itoa(int(t)))
	case int32:
		c.prim("I32", name, strconv.Itoa(int(t)))
	case int64:
		c.prim("I64", name, strconv.FormatInt(t, 10))
	case float64:
		c.prim("Db", name, formatDouble(t))
	case time.Time:
		c.prim("DT", name, t.Format("2006-01-02T15:04:05.0000000Z07:00"))
	case uuid.UUID:
		c.prim("G", name, t.String())
	case time.Duration:
		c.prim("TS", name, xsDuration(t))
	case ByteQuantifiedSize:
		c.prim("S", name, cliEscape(t.String()))
	case []byte:
		c.prim("BA", name, base64.StdEncoding.EncodeToString(t))
	case map[string]any:
		return c.hashtable(name, t)
	case []string:
		return c.list(name, toAny(t))
	case []map[string]any:
		return c.list(name, toAny(t))
	default:
		items, ok := sliceItems(v)
		if !ok {
			return fmt.Errorf("unsupported value type %T", v)
		}
		return c.list(name, items)
	}
	return nil
}

func (c *cliWriter) list(name string, items []any) error {
	fmt.Fprintf(&c.b, `<Obj%s RefId="%d">`, nameAttr(name), c.ref())
	c.typeNames([]string{"System.Collections.ArrayList", "System.Object"})
	c.b.WriteString("<LST>")
	for i, it := range items {
		if err := c.value("", it); err != nil {
			return fmt.Errorf("item %d: %w", i, err)
		}
	}
	c.b.WriteString("</LST></Obj>")
	return nil
}

func (c *cliWriter) hashtable(name string, m map[string]any) error {
	fmt.Fprintf(&c.b, `<Obj%s RefId="%d">`, nameAttr(name), c.ref())
	c.typeNames([]string{"System.Collections.Hashtable", "System.Object"})
	c.b.WriteString("<DCT>")
	for _, k := range sortedKeys(m) {
		c.b.WriteString("<En>")
		c.prim("S", "Key", cliEscape(k))
		if err := c.value("Value", m[k]); err != nil {
			return fmt.Errorf("key %q: %w", k, err)
		}
		c.b.WriteString("</En>")
	}
	c.b.WriteString("</DCT></Obj>")
	return nil
}

func formatDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "INF"
	case math.IsInf(f, -1):
		return "-INF"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// xsDuration is XmlConvert.ToString(TimeSpan): P[nD][T[nH][nM][n[.f]S]].
func xsDuration(d time.Duration) string {
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		d = -d
	}
	b.WriteByte('P')
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	h, m := d/time.Hour, (d%time.Hour)/time.Minute
	rest := d % time.Minute
	if days > 0 {
		fmt.Fprintf(&b, "%dD", days)
	}
	if h == 0 && m == 0 && rest == 0 && days > 0 {
		return b.String()
	}
	b.WriteByte('T')
	if h > 0 {
		fmt.Fprintf(&b, "%dH", h)
	}
	if m > 0 {
		fmt.Fprintf(&b, "%dM", m)
	}
	if rest > 0 || (h == 0 && m == 0) {
		secs := strconv.FormatFloat(rest.Seconds(), 'f', -1, 64)
		b.WriteString(secs + "S")
	}
	return b.String()
}

// cliEscape escapes XML specials and encodes what XML cannot carry as
// PowerShell's serializer does (_xHHHH_); a literal "_x" is written as
// _x005F_x so it does not decode as such a sequence.
func cliEscape(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '_' && strings.HasPrefix(s[i:], "_x"):
			b.WriteString("_x005F_")
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF:
			fmt.Fprintf(&b, "_x%04X_", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func sortedKeys(m map[string]any) []string {
	return slices.Sorted(maps.Keys(m))
}
