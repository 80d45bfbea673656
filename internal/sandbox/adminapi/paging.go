package adminapi

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Page sizes. The module always sends Prefer: odata.maxpagesize; without
// it the sandbox uses the module's own default, 1000, which is also the
// cap the module enforces on its PageSize. Entity routes default to 100,
// the service's default for entity queries (wire-protocol.md §2.5).
const (
	MaxPageSize           = 1000
	DefaultPageSize       = 1000
	DefaultEntityPageSize = 100
)

// preferences are the parsed Prefer header values.
type preferences struct {
	maxPageSize     int // 0 when absent or unusable
	continueOnError bool
}

// parsePrefer reads every Prefer header; items are separated by ',' or ';'
// (the module puts both preferences of a batch part in one value with ';').
func parsePrefer(h http.Header) preferences {
	var p preferences
	for _, line := range h.Values("Prefer") {
		for _, item := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ';' }) {
			key, val, _ := strings.Cut(strings.TrimSpace(item), "=")
			switch strings.ToLower(strings.TrimSpace(key)) {
			case "odata.maxpagesize":
				if n, err := strconv.Atoi(strings.Trim(strings.TrimSpace(val), `"`)); err == nil && n > 0 {
					p.maxPageSize = n
				}
			case "odata.continue-on-error":
				p.continueOnError = !strings.EqualFold(strings.TrimSpace(val), "false")
			}
		}
	}
	return p
}

// pageSize applies the default def and the cap to a requested page size.
func (p preferences) pageSize(def int) int {
	switch {
	case p.maxPageSize <= 0:
		return def
	case p.maxPageSize > MaxPageSize:
		return MaxPageSize
	}
	return p.maxPageSize
}

// skipTokenParam carries the cursor in a nextLink. The link is opaque to
// clients, which re-POST the same body to it (InvokeCommand) or GET it
// with the same headers (entity routes).
const skipTokenParam = "$skiptoken"

// linkClaims is what a nextLink's token binds: the backend cursor may only
// be resumed by the same principal, in the same tenant, for the same
// cmdlet and parameters (for entity routes: the same route and query).
type linkClaims struct {
	Tenant    string `json:"t"`
	Principal string `json:"p"`
	Cmdlet    string `json:"c"`
	Params    string `json:"h"`
	Cursor    string `json:"k"`
	Issued    int64  `json:"i"`
}

var (
	errLinkInvalid = errors.New("the paging link is not valid")
	errLinkExpired = errors.New("the paging link has expired")
	errLinkReused  = errors.New("the paging link belongs to a different request; re-send the original request body to it")
)

// paramsDigest hashes the canonical form of the wire parameters, so a
// link stays valid whatever key order the client serialises.
func paramsDigest(raw json.RawMessage) string {
	var v any
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := decodeJSON(raw, &v); err != nil {
			v = string(raw)
		}
	}
	return digestOf(v)
}

// digestOf hashes the JSON form of v (maps marshal with sorted keys).
func digestOf(v any) string {
	sum := sha256.Sum256(mustMarshal(v))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

func (s *Server) signLink(c linkClaims) string {
	payload := mustMarshal(c)
	mac := hmac.New(sha256.New, s.linkKey)
	mac.Write(payload)
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// verifyLink checks a token's signature and age, then that it belongs to
// this request.
func (s *Server) verifyLink(token string, want linkClaims) (string, error) {
	payloadB64, sigB64, ok := strings.Cut(token, ".")
	if !ok {
		return "", errLinkInvalid
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(payloadB64)
	sig, err2 := base64.RawURLEncoding.DecodeString(sigB64)
	if err1 != nil || err2 != nil {
		return "", errLinkInvalid
	}
	mac := hmac.New(sha256.New, s.linkKey)
	mac.Write(payload)
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return "", errLinkInvalid
	}
	var got linkClaims
	if err := json.Unmarshal(payload, &got); err != nil {
		return "", errLinkInvalid
	}
	if s.now().Sub(time.Unix(got.Issued, 0)) > s.cfg.LinkTTL {
		return "", errLinkExpired
	}
	if got.Tenant != want.Tenant || got.Principal != want.Principal ||
		!strings.EqualFold(got.Cmdlet, want.Cmdlet) || got.Params != want.Params {
		return "", errLinkReused
	}
	return got.Cursor, nil
}

// nextLink builds the absolute URL of the next page on the endpoint the
// page was served from, keeping $select.
func nextLink(base *url.URL, token, selectList string) string {
	u := *base
	q := skipTokenParam + "=" + url.QueryEscape(token)
	if selectList != "" {
		q += "&$select=" + url.QueryEscape(selectList)
	}
	u.RawQuery = q
	u.Fragment = ""
	return u.String()
}
