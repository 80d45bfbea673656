package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite" // reads the sandbox's database to check what exoctl printed
)

// tenant is the first stdout line of `exod sandbox`.
type tenant struct {
	ConnectionURI       string `json:"connectionUri"`
	AuthorityURI        string `json:"authorityUri"`
	TenantDomain        string `json:"tenantDomain"`
	UserPrincipalName   string `json:"userPrincipalName"`
	Password            string `json:"password"`
	AppID               string `json:"appId"`
	CertificatePath     string `json:"certificatePath"`
	CertificatePassword string `json:"certificatePassword"`
	CAFile              string `json:"caFile"`
	ControlURI          string `json:"controlUri"`
	ControlSecret       string `json:"controlSecret"`
	ManagedIdentityURI  string `json:"managedIdentityEndpoint"`
	ManagedIdentityKey  string `json:"managedIdentityHeader"`
}

// harness runs exoctl against a sandbox tenant and a private daemon.
type harness struct {
	dir    string
	exod   string
	exoctl string
	socket string
	tenant tenant
}

// result is one exoctl run.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) lines() []string {
	return strings.FieldsFunc(r.stdout, func(c rune) bool { return c == '\n' })
}

func build(t *testing.T, dir, name, pkg string) string {
	t.Helper()
	out := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-o", out, pkg)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
	return out
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	dir := t.TempDir()
	h := &harness{dir: dir, socket: filepath.Join(dir, "s", "exod.sock")}
	h.exod = build(t, dir, "exod", "github.com/openexo/exo/server")
	h.exoctl = build(t, dir, "exoctl", "github.com/openexo/exo/cmd/exoctl")

	sandbox := exec.Command(h.exod, "sandbox", "--data", filepath.Join(dir, "tenant.db"), "--port", "0",
		"--log-file", filepath.Join(dir, "sandbox.log"))
	stdout, err := sandbox.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sandbox.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Stop the daemon exoctl started, then the sandbox, by their ids.
		_ = exec.Command(h.exod, "stop", "--socket", h.socket).Run()
		_ = sandbox.Process.Kill()
		_ = sandbox.Wait()
	})
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		t.Fatalf("the sandbox printed no tenant; see %s", filepath.Join(dir, "sandbox.log"))
	}
	if err := json.Unmarshal(lines.Bytes(), &h.tenant); err != nil {
		t.Fatalf("tenant line %q: %v", lines.Text(), err)
	}
	go func() {
		for lines.Scan() { // keep the sandbox's stdout drained
		}
	}()
	return h
}

// run runs exoctl with env added to a clean environment.
func (h *harness) run(t *testing.T, stdin string, env map[string]string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, h.exoctl, args...)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + h.dir, "EXOD_SOCKET=" + h.socket, "EXOD_PATH=" + h.exod,
		"EXOD_TRUSTED_CA=" + h.tenant.CAFile, "EXOD_LOG_FILE=" + filepath.Join(h.dir, "exod.log"),
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("exoctl %v: %v", args, err)
	}
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

func (h *harness) mustRun(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	r := h.run(t, "", env, args...)
	if r.code != 0 {
		t.Fatalf("exoctl %v: exit %d\nstdout: %s\nstderr: %s", args, r.code, r.stdout, r.stderr)
	}
	return r
}

// httpClient trusts the sandbox's CA.
func (h *harness) httpClient(t *testing.T) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(h.tenant.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

// control replaces the sandbox's throttling and fault settings.
func (h *harness) control(t *testing.T, settings string) {
	t.Helper()
	client := h.httpClient(t)
	req, err := http.NewRequest(http.MethodPost, h.tenant.ControlURI, strings.NewReader(settings))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+h.tenant.ControlSecret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sandbox control: HTTP %d", resp.StatusCode)
	}
}

// userMailboxIDs are the active user mailboxes as the sandbox's database
// holds them.
func (h *harness) userMailboxIDs(t *testing.T) []string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(h.dir, "tenant.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	rows, err := db.Query(`SELECT external_directory_object_id FROM recipients
		WHERE recipient_type = 'UserMailbox' AND soft_deleted = 0 AND inactive = 0`)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rows.Close() }()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	return ids
}

func decode(t *testing.T, line string) map[string]any {
	t.Helper()
	var obj map[string]any
	if err := json.Unmarshal([]byte(line), &obj); err != nil {
		t.Fatalf("not a JSON line: %q: %v", line, err)
	}
	return obj
}

// stderrError is the {"error": {...}} line exoctl writes with --output json.
func stderrError(t *testing.T, stderr string) map[string]any {
	t.Helper()
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, `{"error"`) {
			return decode(t, line)["error"].(map[string]any)
		}
	}
	t.Fatalf("no error line on stderr: %q", stderr)
	return nil
}

// TestExoctlEndToEnd drives exoctl against the sandbox: certificate
// sign-in, a Get-EXO* stream checked against the database, a bad filter, a
// classic cmdlet that changes state, throttling, the session rule and the
// exit codes of docs/exoctl.md.
func TestExoctlEndToEnd(t *testing.T) {
	h := newHarness(t)
	tn := h.tenant
	connectArgs := []string{"connect", "-AppId", tn.AppID, "-Organization", tn.TenantDomain,
		"-CertificateFilePath", tn.CertificatePath, "-ConnectionUri", tn.ConnectionURI,
		"-AzureADAuthorizationEndpointUri", tn.AuthorityURI, "--output", "json"}
	certPassword := map[string]string{"EXOCTL_CERTIFICATE_PASSWORD": tn.CertificatePassword}

	t.Run("usage errors exit 2", func(t *testing.T) {
		for _, args := range [][]string{{}, {"frobnicate"}, {"run"}, {"--output", "xml", "connections"}, {"connect", "-Nope", "x"}} {
			if r := h.run(t, "", nil, args...); r.code != 2 {
				t.Errorf("exoctl %v: exit %d, want 2 (stderr %q)", args, r.code, r.stderr)
			}
		}
	})

	t.Run("an unreachable daemon exits 6", func(t *testing.T) {
		r := h.run(t, "", nil, "--no-start", "--socket", filepath.Join(h.dir, "none", "x.sock"), "connections")
		if r.code != 6 {
			t.Errorf("exit %d, want 6 (stderr %q)", r.code, r.stderr)
		}
	})

	t.Run("a wrong certificate password exits 5", func(t *testing.T) {
		r := h.run(t, "", map[string]string{"EXOCTL_CERTIFICATE_PASSWORD": "wrong"}, connectArgs...)
		if e := stderrError(t, r.stderr); r.code != 5 || e["reason"] != "CREDENTIALS_INVALID" {
			t.Errorf("exit %d, error %v", r.code, e)
		}
	})

	t.Run("connect with a certificate", func(t *testing.T) {
		r := h.run(t, "", certPassword, connectArgs...)
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		conn := decode(t, r.lines()[0])
		if conn["appId"] != tn.AppID || conn["certificateAuthentication"] != true || conn["state"] != "Connected" {
			t.Errorf("connection %v", conn)
		}
		list := h.mustRun(t, nil, "connections", "--output", "json").lines()
		if len(list) != 1 || decode(t, list[0])["connectionId"] != conn["connectionId"] {
			t.Errorf("connections %q, want the one connection", list)
		}
	})

	t.Run("Get-EXOMailbox -ResultSize 5 as JSON lines", func(t *testing.T) {
		r := h.mustRun(t, nil, "run", "Get-EXOMailbox", "-ResultSize", "5", "--output", "json")
		lines := r.lines()
		if len(lines) != 5 {
			t.Fatalf("%d lines, want 5: %s", len(lines), r.stdout)
		}
		for _, l := range lines {
			if obj := decode(t, l); obj["PrimarySmtpAddress"] == "" || obj["ExternalDirectoryObjectId"] == nil {
				t.Errorf("mailbox %v lacks the Minimum properties", obj)
			}
		}
		if !strings.Contains(r.stderr, `{"warning":"There are more results available`) {
			t.Errorf("no ResultSize warning on stderr: %q", r.stderr)
		}
	})

	t.Run("every user mailbox, as the database holds them", func(t *testing.T) {
		r := h.mustRun(t, nil, "run", "Get-EXOMailbox", "-ResultSize", "Unlimited", "-Properties", "Alias,ExternalDirectoryObjectId", "--output", "json")
		var ids []string
		for _, l := range r.lines() {
			// Shared and resource mailboxes are user mailboxes too.
			if obj := decode(t, l); obj["RecipientType"] == "UserMailbox" {
				ids = append(ids, obj["ExternalDirectoryObjectId"].(string))
			}
		}
		slices.Sort(ids)
		if want := h.userMailboxIDs(t); len(want) == 0 || !slices.Equal(ids, want) {
			t.Errorf("ids %v, database has %v", ids, want)
		}
	})

	t.Run("a table by default", func(t *testing.T) {
		r := h.mustRun(t, nil, "run", "Get-EXOMailbox", "-ResultSize", "2", "--columns", "Alias,PrimarySmtpAddress")
		lines := r.lines()
		if len(lines) != 4 || !strings.HasPrefix(lines[0], "Alias") || !strings.Contains(lines[0], "PrimarySmtpAddress") {
			t.Errorf("table %q", r.stdout)
		}
		if !strings.Contains(r.stderr, "WARNING: There are more results") {
			t.Errorf("stderr %q", r.stderr)
		}
	})

	t.Run("a bad filter exits 2 with the catalogue's details", func(t *testing.T) {
		r := h.run(t, "", nil, "run", "Get-EXOMailbox", "-Filter", "Alias -eq", "--output", "json")
		if r.code != 2 || r.stdout != "" {
			t.Fatalf("exit %d, stdout %q", r.code, r.stdout)
		}
		e := stderrError(t, r.stderr)
		if e["reason"] != "FILTER_INVALID" || e["field"] != "Filter" || !strings.Contains(e["message"].(string), "position 9") {
			t.Errorf("error %v", e)
		}
		r = h.run(t, "", nil, "run", "Get-EXOMailbox", "-Filter", "Alias -eq")
		if r.code != 2 || !strings.Contains(r.stderr, "position 9") || !strings.Contains(r.stderr, "FILTER_INVALID") {
			t.Errorf("text mode: exit %d, stderr %q", r.code, r.stderr)
		}
	})

	t.Run("a classic cmdlet changes state and reads it back", func(t *testing.T) {
		first := decode(t, h.mustRun(t, nil, "run", "Get-EXOMailbox", "-ResultSize", "1", "--output", "json").lines()[0])
		alias := first["Alias"].(string)
		name := "Renamed by exoctl, " + time.Now().Format("150405")
		h.mustRun(t, nil, "run", "Set-Mailbox", alias, "-DisplayName", name, "-EmailAddresses", "@{Add='exoctl."+alias+"@"+tn.TenantDomain+"'}")
		got := decode(t, h.mustRun(t, nil, "run", "Get-Mailbox", "-Identity", alias, "--output", "json").lines()[0])
		if got["DisplayName"] != name {
			t.Errorf("DisplayName %v, want %q", got["DisplayName"], name)
		}
		addresses, _ := got["EmailAddresses"].([]any)
		if !slices.Contains(addresses, any("smtp:exoctl."+alias+"@"+tn.TenantDomain)) {
			t.Errorf("EmailAddresses %v lack the added address", addresses)
		}
	})

	t.Run("pipeline inputs from standard input", func(t *testing.T) {
		all := h.mustRun(t, nil, "run", "Get-EXOMailbox", "-ResultSize", "3", "--output", "json").lines()
		var aliases []string
		for _, l := range all {
			aliases = append(aliases, decode(t, l)["Alias"].(string))
		}
		// Bare lines bind -Identity; each input's objects come in input order.
		r := h.run(t, strings.Join(aliases, "\n")+"\n", nil, "run", "Get-EXOMailbox", "--inputs", "-", "--output", "json")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		var got []string
		for _, l := range r.lines() {
			got = append(got, decode(t, l)["Alias"].(string))
		}
		if !slices.Equal(got, aliases) {
			t.Errorf("aliases %v, want %v", got, aliases)
		}
		// JSON objects bind their parameters, sent in $batch requests.
		var objects []string
		for _, a := range aliases {
			objects = append(objects, `{"Identity":"`+a+`","DisplayName":"Piped `+a+`"}`)
		}
		if r := h.run(t, strings.Join(objects, "\n"), nil, "run", "Set-Mailbox", "--inputs", "-"); r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		for _, a := range aliases {
			got := decode(t, h.mustRun(t, nil, "run", "Get-Mailbox", a, "--output", "json").lines()[0])
			if got["DisplayName"] != "Piped "+a {
				t.Errorf("%s: DisplayName %v", a, got["DisplayName"])
			}
		}
	})

	t.Run("a service error exits 3", func(t *testing.T) {
		r := h.run(t, "", nil, "run", "Get-Mailbox", "-Identity", "no.such.mailbox", "--output", "json")
		e := stderrError(t, r.stderr)
		if r.code != 3 || e["reason"] != "SERVICE_ERROR" || e["requestId"] == "" || !strings.Contains(e["exceptionType"].(string), "NotFound") {
			t.Errorf("exit %d, error %v", r.code, e)
		}
	})

	t.Run("a cmdlet outside the catalogue exits 2", func(t *testing.T) {
		r := h.run(t, "", nil, "run", "Get-NoSuchThing", "--output", "json")
		if e := stderrError(t, r.stderr); r.code != 2 || e["reason"] != "CMDLET_NOT_FOUND" {
			t.Errorf("exit %d, error %v", r.code, e)
		}
	})

	t.Run("other sessions see no connection", func(t *testing.T) {
		// Another shell: a process that is not this test's child.
		r := h.run(t, "", nil, "run", "Get-EXOMailbox", "-ResultSize", "1", "--session", "elsewhere", "--output", "json")
		if e := stderrError(t, r.stderr); r.code != 5 || e["reason"] != "CONNECTION_NOT_FOUND" {
			t.Errorf("exit %d, error %v", r.code, e)
		}
		sh := exec.Command("sh", "-c", `"$0" connections --output json`, h.exoctl)
		sh.Env = append(os.Environ(), "EXOD_SOCKET="+h.socket, "EXOD_PATH="+h.exod, "EXOCTL_SESSION=", "EXOD_CLIENT_SESSION=")
		out, err := sh.Output()
		if err != nil || len(bytes.TrimSpace(out)) != 0 {
			t.Errorf("another shell listed %q (%v)", out, err)
		}
	})

	t.Run("a shared session reaches its connections from any process", func(t *testing.T) {
		shared := map[string]string{"EXOCTL_SESSION": "e2e-shared", "EXOCTL_PASSWORD": tn.Password}
		r := h.run(t, "", shared, "connect", "-Credential", tn.UserPrincipalName, "-ConnectionUri", tn.ConnectionURI,
			"-AzureADAuthorizationEndpointUri", tn.AuthorityURI, "-Prefix", "Shr", "--output", "json")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		sh := exec.Command("sh", "-c", `"$0" connections --output json`, h.exoctl)
		sh.Env = append(os.Environ(), "EXOD_SOCKET="+h.socket, "EXOD_PATH="+h.exod, "EXOCTL_SESSION=e2e-shared")
		out, err := sh.Output()
		if err != nil || !strings.Contains(string(out), `"modulePrefix":"Shr"`) {
			t.Errorf("the shared session listed %q (%v)", out, err)
		}
		h.mustRun(t, shared, "disconnect")
	})

	t.Run("a device code goes to stderr while the daemon waits", func(t *testing.T) {
		env := map[string]string{"EXOCTL_SESSION": "e2e-device"}
		cmd := exec.Command(h.exoctl, "connect", "-Device", "-ConnectionUri", tn.ConnectionURI,
			"-AzureADAuthorizationEndpointUri", tn.AuthorityURI, "--output", "json")
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "EXOD_SOCKET=" + h.socket, "EXOD_PATH=" + h.exod, "EXOD_TRUSTED_CA=" + tn.CAFile}
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		var stdout bytes.Buffer
		cmd.Stdout = &stdout
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		prompt := bufio.NewScanner(stderr)
		var code, page string
		for prompt.Scan() {
			line := prompt.Text()
			if _, after, ok := strings.Cut(line, "enter the code "); ok {
				code = strings.Fields(after)[0]
				_, pageAfter, _ := strings.Cut(line, "open the page ")
				page = strings.Fields(pageAfter)[0]
				break
			}
		}
		if code == "" {
			_ = cmd.Process.Kill()
			t.Fatal("no device code on stderr")
		}
		go func() { _, _ = io.Copy(io.Discard, stderr) }()
		// The test is the user at a browser on another device.
		form := url.Values{"otc": {code}, "login": {tn.UserPrincipalName}, "passwd": {tn.Password}}
		resp, err := h.httpClient(t).PostForm(page, form)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if err := cmd.Wait(); err != nil {
			t.Fatalf("exoctl connect -Device: %v", err)
		}
		if conn := decode(t, strings.TrimSpace(stdout.String())); conn["userPrincipalName"] != tn.UserPrincipalName {
			t.Errorf("connection %v", conn)
		}
		h.mustRun(t, env, "disconnect")
	})

	t.Run("a managed identity signs in from the host's endpoint", func(t *testing.T) {
		env := map[string]string{"EXOCTL_SESSION": "e2e-msi", "IDENTITY_ENDPOINT": tn.ManagedIdentityURI, "IDENTITY_HEADER": tn.ManagedIdentityKey}
		r := h.mustRun(t, env, "connect", "-ManagedIdentity", "-Organization", tn.TenantDomain, "-ConnectionUri", tn.ConnectionURI,
			"-AzureADAuthorizationEndpointUri", tn.AuthorityURI, "--output", "json")
		if conn := decode(t, r.lines()[0]); conn["state"] != "Connected" {
			t.Errorf("connection %v", conn)
		}
		if n := len(h.mustRun(t, env, "run", "Get-EXOMailbox", "-ResultSize", "3", "--output", "json").lines()); n != 3 {
			t.Errorf("%d mailboxes, want 3", n)
		}
		h.mustRun(t, env, "disconnect")
	})

	t.Run("--connection picks one of the session's connections", func(t *testing.T) {
		second := decode(t, h.mustRun(t, map[string]string{"EXOCTL_PASSWORD": tn.Password}, "connect", "-Credential", tn.UserPrincipalName,
			"-ConnectionUri", tn.ConnectionURI, "-AzureADAuthorizationEndpointUri", tn.AuthorityURI, "-Prefix", "Two", "--output", "json").lines()[0])
		id := second["connectionId"].(string)
		if n := len(h.mustRun(t, nil, "connections", "--output", "json").lines()); n != 2 {
			t.Errorf("%d connections, want 2", n)
		}
		if n := len(h.mustRun(t, nil, "run", "Get-EXOMailbox", "-ResultSize", "2", "--connection", id, "--output", "json").lines()); n != 2 {
			t.Errorf("%d mailboxes through %s, want 2", n, id)
		}
		r := h.run(t, "", nil, "run", "Get-EXOMailbox", "-ResultSize", "1", "--connection", "00000000-0000-0000-0000-000000000000", "--output", "json")
		if e := stderrError(t, r.stderr); r.code != 5 || e["reason"] != "CONNECTION_NOT_FOUND" {
			t.Errorf("exit %d, error %v", r.code, e)
		}
		closed := h.mustRun(t, nil, "disconnect", "-ConnectionId", id, "--output", "json").lines()
		if len(closed) != 1 || decode(t, closed[0])["ConnectionId"] != id {
			t.Errorf("disconnect -ConnectionId closed %q", closed)
		}
	})

	t.Run("throttling exits 4 with the retry delay", func(t *testing.T) {
		// One request per day: the first call spends it, the next is
		// refused with a Retry-After far beyond the daemon's patience.
		h.control(t, `{"throttle":{"budget":1,"window":"24h"}}`)
		defer h.control(t, `{}`)
		var r result
		for range 2 {
			r = h.run(t, "", nil, "run", "Get-Mailbox", "-ResultSize", "1", "--output", "json")
		}
		e := stderrError(t, r.stderr)
		if r.code != 4 || e["reason"] != "THROTTLED" || e["retryAfterSeconds"] == nil {
			t.Errorf("exit %d, error %v", r.code, e)
		}
	})

	t.Run("disconnect, then nothing is connected", func(t *testing.T) {
		if out := h.mustRun(t, nil, "disconnect", "--output", "json").lines(); len(out) != 1 {
			t.Errorf("disconnect printed %q, want one closed connection", out)
		}
		r := h.run(t, "", nil, "run", "Get-EXOMailbox", "-ResultSize", "1")
		if r.code != 5 {
			t.Errorf("exit %d after disconnect, want 5 (stderr %q)", r.code, r.stderr)
		}
	})
}
