package adminapi

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// checkGolden compares body with testdata/name after compacting both, so
// key order counts but whitespace does not.
func checkGolden(t *testing.T, name string, body []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	var got bytes.Buffer
	if err := json.Indent(&got, body, "", "  "); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, body)
	}
	if *update {
		if err := os.WriteFile(path, append(got.Bytes(), '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var wantC, gotC bytes.Buffer
	if err := json.Compact(&wantC, want); err != nil {
		t.Fatalf("golden %s: %v", name, err)
	}
	_ = json.Compact(&gotC, body)
	if wantC.String() != gotC.String() {
		t.Errorf("%s differs from the golden file:\n got: %s\nwant: %s", name, gotC.String(), wantC.String())
	}
}

// The golden files are the wire-protocol.md §2.4, §2.5 and §4.1 examples
// with the sandbox's values filled in.
func TestGoldenWireShapes(t *testing.T) {
	e := newEnv(t, 1)
	host := map[string]string{"Host": "outlook.office.com", "Prefer": "odata.maxpagesize=1000"}
	target := "https://" + strings.TrimPrefix(e.ts.URL, "https://") + invokeURL(testDomain)

	t.Run("InvokeCommand page", func(t *testing.T) {
		resp, body := e.do(t, http.MethodPost, target, tokAdmin, cmdletBody("Get-Mailbox", nil), host)
		wantStatus(t, resp, body, http.StatusOK)
		checkGolden(t, "invoke_page.json", body)
	})
	t.Run("error envelope", func(t *testing.T) {
		resp, body := e.do(t, http.MethodPost, target, tokAdmin, cmdletBody("Get-Mailbox", map[string]any{"Identity": "x@contoso.com"}), host)
		wantStatus(t, resp, body, http.StatusNotFound)
		checkGolden(t, "error_envelope.json", body)
	})
	t.Run("batch response", func(t *testing.T) {
		part := func(id string, params map[string]any) map[string]any {
			var b any
			_ = json.Unmarshal(cmdletBody("Get-Mailbox", params), &b)
			return map[string]any{"id": id, "method": "POST", "url": "https://outlook.office.com" + invokeURL(testDomain),
				"headers": map[string]any{"Prefer": "odata.maxpagesize=1000;odata.continue-on-error", "X-CmdletName": "Get-Mailbox", "parameter-based-routing": true},
				"body":    b}
		}
		req, _ := json.Marshal(map[string]any{"requests": []any{part("0", nil), part("1", map[string]any{"Identity": "x@contoso.com"})}})
		hdr := map[string]string{"Host": "outlook.office.com", "Prefer": "odata.continue-on-error"}
		resp, body := e.do(t, http.MethodPost, strings.Replace(target, "InvokeCommand", "$batch", 1), tokAdmin, req, hdr)
		wantStatus(t, resp, body, http.StatusOK)
		checkGolden(t, "batch_response.json", body)
	})
}
