package idp

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"

	"go.uber.org/zap"
)

// The pages are plain HTML with inline styles and no script, except the
// form_post page, whose script runs under a per-response CSP nonce.
var pages = template.Must(template.New("pages").Parse(`
{{define "head"}}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.}}</title>
<style>
body{font-family:"Segoe UI",Helvetica,Arial,sans-serif;background:#f2f2f2;margin:0}
main{max-width:440px;margin:10vh auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:0 0 16px}
label{display:block;margin-top:12px;font-size:14px}
input[type=text],input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:6px 0;border:0;border-bottom:1px solid #666;font-size:15px}
button{margin-top:24px;background:#0067b8;color:#fff;border:0;padding:8px 32px;font-size:15px}
.error{color:#e81123;font-size:14px}
.note{color:#666;font-size:13px;margin-top:24px}
</style></head><body><main>{{end}}
{{define "foot"}}<p class="note">Sandbox tenant: a local imitation of Microsoft Entra ID.</p></main></body></html>{{end}}

{{define "signin"}}{{template "head" "Sign in to your account"}}
<h1>Sign in</h1>
<p>to continue to {{.AppName}}</p>
{{if .Error}}<p class="error" role="alert">{{.Error}}</p>{{end}}
<form method="post" action="{{.Action}}">
<input type="hidden" name="ctx" value="{{.Ctx}}">
<label for="login">Email or username</label>
<input type="email" id="login" name="login" value="{{.Login}}" autocomplete="username" required autofocus>
<label for="passwd">Password</label>
<input type="password" id="passwd" name="passwd" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
{{template "foot"}}{{end}}

{{define "devicelogin"}}{{template "head" "Enter code"}}
<h1>Enter code</h1>
<p>Enter the code displayed on your app or device, then sign in.</p>
{{if .Error}}<p class="error" role="alert">{{.Error}}</p>{{end}}
<form method="post" action="{{.Action}}">
<label for="otc">Code</label>
<input type="text" id="otc" name="otc" value="{{.Code}}" autocomplete="off" required>
<label for="login">Email or username</label>
<input type="email" id="login" name="login" value="{{.Login}}" autocomplete="username" required>
<label for="passwd">Password</label>
<input type="password" id="passwd" name="passwd" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
{{template "foot"}}{{end}}

{{define "devicedone"}}{{template "head" "Signed in"}}
<h1>{{.AppName}}</h1>
<p>You have signed in to the {{.AppName}} application on your device. You may now close this window.</p>
{{template "foot"}}{{end}}

{{define "formpost"}}<!DOCTYPE html>
<html><head><title>Working...</title></head><body>
<form method="POST" name="hiddenform" action="{{.Action}}">
{{range .Fields}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit"></noscript>
</form>
<script nonce="{{.Nonce}}">document.forms[0].submit();</script>
</body></html>{{end}}

{{define "error"}}{{template "head" "Sign in"}}
<h1>Sorry, but we're having trouble signing you in.</h1>
<p class="error">AADSTS{{.Code}}: {{.Message}}</p>
{{template "foot"}}{{end}}
`))

type field struct{ Name, Value string }

// renderPage writes an HTML page with headers that keep it out of frames,
// caches and referrers. formAction lists the origins its forms may post or
// redirect to besides the page's own.
func (h *Handler) renderPage(w http.ResponseWriter, status int, name string, data any, formAction, scriptNonce string) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		h.log.Error("render page", zap.String("page", name), zap.Error(err))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	csp := "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'"
	if formAction != "" {
		csp += " " + formAction
	}
	if scriptNonce != "" {
		csp += "; script-src 'nonce-" + scriptNonce + "'"
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Security-Policy", csp)
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorPage shows an error the user cannot be redirected back with, such as
// an unknown client or redirect URI.
func (h *Handler) errorPage(w http.ResponseWriter, e *oauthError) {
	h.log.Info("sign-in refused", zap.String("error", e.code), zap.Int("aadsts", e.aadsts))
	h.renderPage(w, e.status, "error", struct {
		Code    int
		Message string
	}{e.aadsts, e.desc}, "", "")
}

// origin returns scheme://host of a URL, for CSP source lists.
func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
