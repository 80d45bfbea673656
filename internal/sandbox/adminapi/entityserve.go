package adminapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"
)

// serveEntity answers a GET of an entity route: one page of a collection
// with a signed @odata.nextLink, or one entity.
func (s *Server) serveEntity(w http.ResponseWriter, r *http.Request, rt route, caller Caller, settings Settings) {
	q, token, cerr := decodeEntityQuery(r, rt.entity)
	if cerr != nil {
		writeResponse(w, r, cmdletFailure(cerr))
		return
	}
	route := q.Route()
	want := linkClaims{Tenant: caller.TenantID, Principal: caller.principal(), Cmdlet: route, Params: digestOf(q)}
	page := Page{MaxPageSize: parsePrefer(r.Header).pageSize(DefaultEntityPageSize)}
	if token != "" {
		cursor, err := s.verifyLink(token, want)
		if err != nil {
			writeProtocolError(w, r, http.StatusBadRequest, capitalize(err.Error())+".")
			return
		}
		page.Cursor = cursor
	}
	res, err := runBackend(r.Context(), settings.cmdletTimeout(route), "The query of '"+route+"'",
		func(ctx context.Context) (Result, error) { return s.cfg.Backend.Query(ctx, caller, q, page) })
	if err != nil {
		var ce *CmdletError
		if !errors.As(err, &ce) {
			s.log.Error("backend query", zap.String("route", route), zap.Error(err))
			writeResponse(w, r, internalFailure())
			return
		}
		writeResponse(w, r, cmdletFailure(ce))
		return
	}
	if len(res.Records) > page.MaxPageSize || (q.Single && len(res.Records) != 1) {
		s.log.Error("backend returned a wrong number of entities", zap.String("route", route),
			zap.Int("records", len(res.Records)), zap.Int("pageSize", page.MaxPageSize), zap.Bool("single", q.Single))
		writeResponse(w, r, internalFailure())
		return
	}
	metadata := "https://" + r.Host + rt.base() + "/$metadata#" + rt.entity.route.entityType
	var body []byte
	if q.Single {
		body, err = encodeEntity(metadata+"/$entity", res.Records[0])
	} else {
		next := ""
		if res.NextCursor != "" {
			want.Cursor, want.Issued = res.NextCursor, s.now().Unix()
			next = entityNextLink(r, s.signLink(want))
		}
		body, err = encodeEntityPage(metadata, res.Records, next)
	}
	if err != nil {
		s.log.Error("encode entities", zap.String("route", route), zap.Error(err))
		writeResponse(w, r, internalFailure())
		return
	}
	for _, warning := range res.Warnings {
		w.Header().Add("X-Warnings", warning)
	}
	writeBody(w, r, http.StatusOK, contentTypeJSON, body)
}

// entityNextLink is the request's own URL with the token as $skiptoken:
// the next page is a GET of it with the same headers.
func entityNextLink(r *http.Request, token string) string {
	var keep []string
	for _, item := range strings.Split(r.URL.RawQuery, "&") {
		name, _, _ := strings.Cut(item, "=")
		if n, err := url.QueryUnescape(name); item == "" || (err == nil && strings.EqualFold(n, skipTokenParam)) {
			continue
		}
		keep = append(keep, item)
	}
	u := url.URL{Scheme: "https", Host: r.Host, Path: r.URL.Path, RawPath: r.URL.EscapedPath(),
		RawQuery: strings.Join(append(keep, skipTokenParam+"="+url.QueryEscape(token)), "&")}
	return u.String()
}

// encodeEntityPage writes a collection answer.
func encodeEntityPage(metadata string, recs []Record, next string) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(`{"@odata.context":`)
	buf.Write(mustMarshal(metadata))
	buf.WriteString(`,"value":[`)
	for i, rec := range recs {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('{')
		if err := encodeEntityFields(&buf, rec, true); err != nil {
			return nil, fmt.Errorf("entity %d: %w", i, err)
		}
		buf.WriteByte('}')
	}
	buf.WriteByte(']')
	if next != "" {
		buf.WriteString(`,"@odata.nextLink":`)
		buf.Write(mustMarshal(next))
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// encodeEntity writes a single-entity answer.
func encodeEntity(metadata string, rec Record) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(`{"@odata.context":`)
	buf.Write(mustMarshal(metadata))
	if err := encodeEntityFields(&buf, rec, false); err != nil {
		return nil, err
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// encodeEntityFields writes rec's properties as object members, first
// telling whether no member precedes them. Entity JSON is plainer than
// InvokeCommand's: only GUIDs and dates are annotated ("#Guid",
// "#DateTimeOffset"), as JSON can't tell them from strings.
func encodeEntityFields(buf *bytes.Buffer, rec Record, first bool) error {
	for _, p := range rec.Properties {
		raw, odataType, err := entityValue(p.Value)
		if err != nil {
			return fmt.Errorf("property %q: %w", p.Name, err)
		}
		if odataType != "" {
			member(buf, &first, p.Name+odataTypeKey, mustMarshal(odataType))
		}
		member(buf, &first, p.Name, raw)
	}
	return nil
}

func member(buf *bytes.Buffer, first *bool, name string, raw []byte) {
	if !*first {
		buf.WriteByte(',')
	}
	*first = false
	buf.Write(mustMarshal(name))
	buf.WriteByte(':')
	buf.Write(raw)
}

// entityTime is the RFC 3339 UTC form of dates.
const entityTime = time.RFC3339Nano

// entityValue gives a value's JSON and the annotation it needs, if any.
func entityValue(v any) ([]byte, string, error) {
	switch t := v.(type) {
	case nil, string, bool, int, int16, int32, int64, []string:
		return mustMarshal(t), "", nil
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return mustMarshal(strconv.FormatFloat(t, 'g', -1, 64)), "#Double", nil
		}
		return mustMarshal(t), "", nil
	case uuid.UUID:
		return mustMarshal(t.String()), "#Guid", nil
	case time.Time:
		return mustMarshal(t.UTC().Format(entityTime)), "#DateTimeOffset", nil
	case time.Duration:
		return mustMarshal(formatTimeSpan(t)), "", nil
	case ByteQuantifiedSize:
		return mustMarshal(t.String()), "", nil
	case []byte:
		return mustMarshal(base64.StdEncoding.EncodeToString(t)), "#Binary", nil
	case Record:
		var buf bytes.Buffer
		buf.WriteByte('{')
		err := encodeEntityFields(&buf, t, true)
		buf.WriteByte('}')
		return buf.Bytes(), "", err
	case []Record:
		return entityCollection(toAny(t))
	case map[string]any:
		rec := Record{Properties: make([]Property, 0, len(t))}
		for _, k := range sortedKeys(t) {
			rec.Properties = append(rec.Properties, Property{Name: k, Value: t[k]})
		}
		return entityValue(rec)
	case []map[string]any:
		return entityCollection(toAny(t))
	}
	items, ok := sliceItems(v)
	if !ok {
		return nil, "", fmt.Errorf("unsupported value type %T", v)
	}
	return entityCollection(items)
}

// entityCollection writes an array; a collection of GUIDs or dates is
// annotated as such.
func entityCollection(items []any) ([]byte, string, error) {
	var buf bytes.Buffer
	elem := ""
	buf.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			buf.WriteByte(',')
		}
		raw, t, err := entityValue(it)
		if err != nil {
			return nil, "", fmt.Errorf("item %d: %w", i, err)
		}
		buf.Write(raw)
		if elem == "" {
			elem = t
		}
	}
	buf.WriteByte(']')
	if elem == "#Guid" || elem == "#DateTimeOffset" {
		return buf.Bytes(), "#Collection(" + strings.TrimPrefix(elem, "#") + ")", nil
	}
	return buf.Bytes(), "", nil
}
