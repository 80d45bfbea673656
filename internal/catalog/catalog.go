// Package catalog fetches and caches a connection's cmdlet catalogue: the
// module the service generates for the caller (EXOModuleFile,
// wire-protocol.md §3.3 step 4), which lists the cmdlets the caller may run,
// carries every proxy's param() block, and holds the public key secrets are
// encrypted with.
package catalog

import (
	"container/list"
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/openexo/exo/internal/adminclient"
)

// ErrNotInCatalog marks a cmdlet the connection's catalogue does not list.
var ErrNotInCatalog = errors.New("cmdlet not in the connection's catalogue")

// Catalog is one connection's cmdlet catalogue.
type Catalog struct {
	// ModuleScript is the generated module's text.
	ModuleScript string
	// Cmdlets are the exported cmdlets in the service's order.
	Cmdlets []string
	// SHA256 is the hex SHA-256 of ModuleScript.
	SHA256 string
	// PublicKey encrypts secret parameters; nil when the module has none.
	PublicKey *rsa.PublicKey

	byLower map[string]string
}

// Lookup returns a cmdlet's name as the catalogue spells it.
func (c *Catalog) Lookup(name string) (string, bool) {
	n, ok := c.byLower[strings.ToLower(strings.TrimSpace(name))]
	return n, ok
}

// Require is Lookup failing with ErrNotInCatalog.
func (c *Catalog) Require(name string) (string, error) {
	if n, ok := c.Lookup(name); ok {
		return n, nil
	}
	return "", fmt.Errorf("%w: the term '%s' is not a cmdlet this connection may run (it is not in the catalogue the service published for it; check -CommandName and your roles)", ErrNotInCatalog, name)
}

// Source is where a connection's catalogue comes from.
type Source struct {
	Client *adminclient.Client
	// Base is the REST base, e.g. https://outlook.office365.com.
	Base string
	// Tenant is the tenant GUID of the URL.
	Tenant string
	// Anchor is the X-AnchorMailbox routing hint.
	Anchor string
	// CommandName is the connection's -CommandName; empty means all.
	CommandName []string
}

// Fetch downloads and parses the catalogue.
func Fetch(ctx context.Context, src Source) (*Catalog, error) {
	names := "*"
	if len(src.CommandName) > 0 {
		names = strings.Join(src.CommandName, ",")
	}
	h := http.Header{}
	h["CommandName"] = []string{names}
	resp, err := src.Client.Do(ctx, adminclient.Request{
		Method: http.MethodGet,
		URL: src.Base + "/AdminApi/v1.0/" + url.PathEscape(src.Tenant) + "/EXOModuleFile?Version=" +
			url.QueryEscape(adminclient.ModuleVersion),
		Header: h, AnchorMailbox: src.Anchor, Replayable: true,
	})
	if err != nil {
		return nil, fmt.Errorf("fetch the cmdlet catalogue: %w", err)
	}
	return Parse(resp.Body)
}

// moduleFile is the EXOModuleFile answer; the service may list the format
// data beside the module, so the module is the entry that exports cmdlets.
type moduleFile struct {
	Value []struct {
		FileName        string `json:"fileName"`
		FileContent     string `json:"fileContent"`
		ExportedCmdlets string `json:"exportedCmdlets"`
	} `json:"value"`
}

// publicKeyLine finds the module's $PublicKey = '<RSAKeyValue>…' line.
var publicKeyLine = regexp.MustCompile(`(?m)^\s*\$PublicKey\s*=\s*'(<RSAKeyValue>.*?</RSAKeyValue>)'`)

// Parse reads an EXOModuleFile answer.
func Parse(body []byte) (*Catalog, error) {
	var mf moduleFile
	if err := json.Unmarshal(body, &mf); err != nil {
		return nil, fmt.Errorf("read the cmdlet catalogue: %w", err)
	}
	idx := -1
	for i, v := range mf.Value {
		if strings.TrimSpace(v.ExportedCmdlets) != "" {
			idx = i
			break
		}
	}
	if idx < 0 {
		return nil, errors.New("read the cmdlet catalogue: the service's module exports no cmdlet")
	}
	entry := mf.Value[idx]
	c := &Catalog{ModuleScript: entry.FileContent, byLower: map[string]string{}}
	for _, n := range strings.Split(entry.ExportedCmdlets, ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if _, dup := c.byLower[strings.ToLower(n)]; dup {
			continue
		}
		c.byLower[strings.ToLower(n)] = n
		c.Cmdlets = append(c.Cmdlets, n)
	}
	sum := sha256.Sum256([]byte(c.ModuleScript))
	c.SHA256 = hex.EncodeToString(sum[:])
	if m := publicKeyLine.FindStringSubmatch(c.ModuleScript); m != nil {
		key, err := parseRSAKeyValue(m[1])
		if err != nil {
			return nil, fmt.Errorf("read the service's public key: %w", err)
		}
		c.PublicKey = key
	}
	return c, nil
}

var (
	modulusElem  = regexp.MustCompile(`<Modulus>\s*([^<]*?)\s*</Modulus>`)
	exponentElem = regexp.MustCompile(`<Exponent>\s*([^<]*?)\s*</Exponent>`)
)

// parseRSAKeyValue reads .NET's RSA XML form (ToXmlString(false)).
func parseRSAKeyValue(xml string) (*rsa.PublicKey, error) {
	mod, exp := modulusElem.FindStringSubmatch(xml), exponentElem.FindStringSubmatch(xml)
	if mod == nil || exp == nil {
		return nil, errors.New("the key has no Modulus or Exponent")
	}
	n, err := base64.StdEncoding.DecodeString(mod[1])
	if err != nil {
		return nil, fmt.Errorf("modulus: %w", err)
	}
	e, err := base64.StdEncoding.DecodeString(exp[1])
	if err != nil {
		return nil, fmt.Errorf("exponent: %w", err)
	}
	exponent := new(big.Int).SetBytes(e)
	if len(n) < 64 || !exponent.IsInt64() || exponent.Int64() < 3 || exponent.Int64() > 1<<31-1 {
		return nil, errors.New("the key is not a usable RSA public key")
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(exponent.Int64())}, nil
}

// Cache keeps the catalogues of recent connections, fetching each once even
// when several callers ask at the same time. It is bounded: a connection
// evicted by newer ones only costs a fetch.
type Cache struct {
	max     int
	mu      sync.Mutex
	entries map[string]*list.Element
	order   *list.List // most recently used first; values are *entry
}

type entry struct {
	key   string
	ready chan struct{}
	cat   *Catalog
	err   error
}

// NewCache keeps at most n catalogues (at least one).
func NewCache(n int) *Cache {
	return &Cache{max: max(1, n), entries: map[string]*list.Element{}, order: list.New()}
}

// Get returns key's catalogue, calling fetch when it has none. Failures are
// not kept, so the next call fetches again.
func (c *Cache) Get(ctx context.Context, key string, fetch func(context.Context) (*Catalog, error)) (*Catalog, error) {
	c.mu.Lock()
	if el, ok := c.entries[key]; ok {
		c.order.MoveToFront(el)
		e := el.Value.(*entry)
		c.mu.Unlock()
		select {
		case <-e.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err != nil {
			// The fetch that failed has already forgotten its entry.
			return c.Get(ctx, key, fetch)
		}
		return e.cat, nil
	}
	e := &entry{key: key, ready: make(chan struct{})}
	c.entries[key] = c.order.PushFront(e)
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.entries, last.Value.(*entry).key)
	}
	c.mu.Unlock()

	// The fetch serves every waiter, so one caller's cancellation must not
	// fail it for the others.
	e.cat, e.err = fetch(context.WithoutCancel(ctx))
	if e.err != nil {
		c.mu.Lock()
		if el, ok := c.entries[key]; ok && el.Value.(*entry) == e {
			c.order.Remove(el)
			delete(c.entries, key)
		}
		c.mu.Unlock()
	}
	close(e.ready)
	return e.cat, e.err
}
