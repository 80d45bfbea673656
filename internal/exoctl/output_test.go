package exoctl

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestPrinter(t *testing.T) {
	objects := `[{"Guid":"g1","Alias":"a","Name":"n","EmailAddresses":["x","y"],"Notes":null},` +
		`{"Guid":"g2","Alias":"b","Name":"m","EmailAddresses":[],"Notes":"multi\nline"}]`
	tests := []struct {
		name    string
		format  string
		columns []string
		want    string
	}{
		{"JSON lines keep the object", FormatJSON, nil,
			`{"Guid":"g1","Alias":"a","Name":"n","EmailAddresses":["x","y"],"Notes":null}` + "\n" +
				`{"Guid":"g2","Alias":"b","Name":"m","EmailAddresses":[],"Notes":"multi\nline"}` + "\n"},
		{"preferred columns", FormatTable, nil, "Name  Alias\n----  -----\nn     a\nm     b\n"},
		{"chosen columns", FormatTable, []string{"emailaddresses", "Notes"},
			"emailaddresses  Notes\n--------------  -----\nx,y             \n                multi line\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errw bytes.Buffer
			p := NewPrinter(tt.format, &out, &errw, tt.columns, false)
			if err := p.Objects(objects); err != nil {
				t.Fatal(err)
			}
			if err := p.Close(); err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestPrinterFirstColumns(t *testing.T) {
	var out bytes.Buffer
	p := NewPrinter(FormatTable, &out, &bytes.Buffer{}, nil, false)
	if err := p.Objects(`[{"A":1,"B":2,"C":3,"D":4,"E":5,"F":6,"G":7}]`); err != nil {
		t.Fatal(err)
	}
	_ = p.Close()
	if header := strings.Fields(strings.SplitN(out.String(), "\n", 2)[0]); strings.Join(header, ",") != "A,B,C,D,E,F" {
		t.Errorf("header %v, want the first six properties", header)
	}
}

func TestPrinterProgress(t *testing.T) {
	var errw bytes.Buffer
	p := NewPrinter(FormatJSON, &bytes.Buffer{}, &errw, nil, true)
	clock := time.Unix(0, 0)
	p.now = func() time.Time { clock = clock.Add(300 * time.Millisecond); return clock }
	if err := p.Objects(`[{"A":1},{"A":2},{"A":3},{"A":4}]`); err != nil {
		t.Fatal(err)
	}
	p.Warning("careful")
	if got := errw.String(); !strings.Contains(got, "\rexoctl: 3 objects") || !strings.HasSuffix(got, "{\"warning\":\"careful\"}\n") {
		t.Errorf("stderr %q", got)
	}
}
