package exoctl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Output formats.
const (
	FormatTable = "table"
	FormatJSON  = "json"
)

// preferredColumns are the properties a table shows when present, in this
// order, so wide objects stay readable; --columns overrides them.
var preferredColumns = []string{
	"Name", "Alias", "DisplayName", "Identity", "User", "Trustee", "AccessRights", "FolderName",
	"PrimarySmtpAddress", "UserPrincipalName", "RecipientTypeDetails", "RecipientType", "ItemCount", "TotalItemSize",
}

// maxDefaultColumns bounds a table's columns when none is preferred.
const maxDefaultColumns = 6

// tableFlushRows is how many rows are aligned together; a long stream is
// printed in blocks rather than held back until its end.
const tableFlushRows = 500

// field is one property of an object, in the order the daemon sent it.
type field struct {
	Name  string
	Value json.RawMessage
}

// Printer writes output objects to stdout and warnings, errors and progress
// to stderr.
type Printer struct {
	format   string
	out      io.Writer
	errw     io.Writer
	columns  []string
	progress bool
	now      func() time.Time

	tw       *tabwriter.Writer
	rows     int
	count    int
	lastTick time.Time
	shown    bool
}

// NewPrinter returns a printer for format; columns may be empty. progress
// turns on the object counter on stderr.
func NewPrinter(format string, out, errw io.Writer, columns []string, progress bool) *Printer {
	return &Printer{format: format, out: out, errw: errw, columns: columns, progress: progress, now: time.Now}
}

// Objects writes the objects of a JSON array.
func (p *Printer) Objects(array string) error {
	dec := json.NewDecoder(strings.NewReader(array))
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("read the daemon's objects: %w", err)
	}
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("read the daemon's objects: %w", err)
		}
		if err := p.Object(raw); err != nil {
			return err
		}
	}
	return nil
}

// Object writes one JSON object: as a line of JSON, or as a table row.
func (p *Printer) Object(raw json.RawMessage) error {
	p.count++
	p.tick()
	if p.format == FormatJSON {
		var b bytes.Buffer
		if err := json.Compact(&b, raw); err != nil {
			return fmt.Errorf("read the daemon's object: %w", err)
		}
		b.WriteByte('\n')
		_, err := p.out.Write(b.Bytes())
		return err
	}
	fields, err := orderedFields(raw)
	if err != nil {
		return err
	}
	if p.tw == nil {
		p.startTable(fields)
	}
	cells := make([]string, len(p.columns))
	for i, c := range p.columns {
		for _, f := range fields {
			if strings.EqualFold(f.Name, c) {
				cells[i] = cell(f.Value)
				break
			}
		}
	}
	fmt.Fprintln(p.tw, strings.Join(cells, "\t"))
	p.rows++
	if p.rows%tableFlushRows == 0 {
		return p.tw.Flush()
	}
	return nil
}

func (p *Printer) startTable(fields []field) {
	if len(p.columns) == 0 {
		for _, want := range preferredColumns {
			for _, f := range fields {
				if f.Name == want {
					p.columns = append(p.columns, want)
				}
			}
		}
	}
	if len(p.columns) == 0 {
		for _, f := range fields[:min(len(fields), maxDefaultColumns)] {
			p.columns = append(p.columns, f.Name)
		}
	}
	p.tw = tabwriter.NewWriter(p.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(p.tw, strings.Join(p.columns, "\t"))
	rule := make([]string, len(p.columns))
	for i, c := range p.columns {
		rule[i] = strings.Repeat("-", len(c))
	}
	fmt.Fprintln(p.tw, strings.Join(rule, "\t"))
}

// orderedFields reads an object's properties in order.
func orderedFields(raw json.RawMessage) ([]field, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("the daemon sent an object that is not a JSON object: %s", raw)
	}
	var out []field
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("read the daemon's object: %w", err)
		}
		name, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("read the daemon's object: %w", err)
		}
		out = append(out, field{Name: name, Value: v})
	}
	return out, nil
}

// cell is a value as a table shows it: text bare, lists comma separated.
func cell(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return oneLine(s)
	}
	var list []json.RawMessage
	if json.Unmarshal(v, &list) == nil {
		parts := make([]string, len(list))
		for i, e := range list {
			parts[i] = cell(e)
		}
		return strings.Join(parts, ",")
	}
	if string(v) == "null" {
		return ""
	}
	return oneLine(string(v))
}

func oneLine(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ", "\t", " ").Replace(s)
}

// tick shows the running count on stderr at most twice a second.
func (p *Printer) tick() {
	if !p.progress {
		return
	}
	now := p.now()
	if p.lastTick.IsZero() {
		p.lastTick = now
		return
	}
	if now.Sub(p.lastTick) < 500*time.Millisecond {
		return
	}
	p.lastTick = now
	p.shown = true
	fmt.Fprintf(p.errw, "\rexoctl: %d objects", p.count)
}

// Warning writes a service warning on stderr.
func (p *Printer) Warning(text string) {
	p.endProgress()
	if p.format == FormatJSON {
		p.jsonLine(p.errw, map[string]any{"warning": text})
		return
	}
	fmt.Fprintf(p.errw, "WARNING: %s\n", text)
}

// Error writes an error on stderr: a line of text, or with --output json a
// JSON object {"error": {...}}.
func (p *Printer) Error(e map[string]any, text string) {
	p.endProgress()
	if p.format == FormatJSON {
		p.jsonLine(p.errw, map[string]any{"error": e})
		return
	}
	fmt.Fprintf(p.errw, "exoctl: %s\n", text)
}

// Note writes a message for the user (a device code prompt) on stderr.
func (p *Printer) Note(text string) {
	p.endProgress()
	fmt.Fprintln(p.errw, text)
}

func (p *Printer) jsonLine(w io.Writer, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		fmt.Fprintf(w, "exoctl: %v\n", err)
		return
	}
	fmt.Fprintf(w, "%s\n", b)
}

func (p *Printer) endProgress() {
	if p.shown {
		fmt.Fprint(p.errw, "\r\033[K")
		p.shown = false
	}
}

// Close flushes the table and clears the progress line.
func (p *Printer) Close() error {
	p.endProgress()
	if p.tw != nil {
		return p.tw.Flush()
	}
	return nil
}
