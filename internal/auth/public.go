package auth

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
)

// publicAcquirer renews a user sign-in with MSAL's refresh token.
type publicAcquirer struct {
	// mu serialises MSAL calls, which share the cache view's hold.
	mu      sync.Mutex
	client  public.Client
	view    *cacheView
	scopes  []string
	account public.Account
}

func (p *publicAcquirer) acquire(ctx context.Context, opts TokenOptions) (Token, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	silent := []public.AcquireSilentOption{public.WithSilentAccount(p.account)}
	if claims := claimsFor(opts); claims != "" {
		silent = append(silent, public.WithClaims(claims))
	}
	res, err := p.client.AcquireTokenSilent(ctx, p.scopes, silent...)
	p.view.release()
	if err != nil {
		return Token{}, classify(err, true)
	}
	return tokenFromResult(res)
}

func (p *publicAcquirer) signOut(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	err := p.client.RemoveAccount(ctx, p.account)
	p.view.release()
	if err != nil {
		return fmt.Errorf("remove cached sign-in: %w", err)
	}
	return nil
}

// tokenFromResult reads an MSAL result; the account names the user when the
// token lacks a upn claim.
func tokenFromResult(res public.AuthResult) (Token, error) {
	tok, err := parseToken(res.AccessToken, res.ExpiresOn)
	if err != nil {
		return Token{}, fmt.Errorf("%w: %w", ErrSignInFailed, err)
	}
	if tok.UPN == "" {
		tok.UPN = res.Account.PreferredUsername
	}
	return tok, nil
}

// signInPublic runs a user flow's first sign-in with a fresh MSAL public
// client and returns the Source that renews it.
func signInPublic(ctx context.Context, cfg Config, flow Flow,
	signIn func(ctx context.Context, c public.Client, scopes []string) (public.AuthResult, error)) (*Source, error) {
	cfg, a, err := cfg.prepare(true)
	if err != nil {
		return nil, err
	}
	client, view, err := cfg.newPublicClient(a)
	if err != nil {
		return nil, err
	}
	scopes := []string{cfg.Scope}
	res, err := signIn(ctx, client, scopes)
	view.release()
	if err != nil {
		return nil, err
	}
	tok, err := tokenFromResult(res)
	if err != nil {
		return nil, err
	}
	acq := &publicAcquirer{client: client, view: view, scopes: scopes, account: res.Account}
	return newSource(flow, acq, tok, cfg.Logger), nil
}

// NewPassword signs in with a user name and password (-Credential). The
// password goes to MSAL and is neither logged nor kept.
func NewPassword(ctx context.Context, cfg Config, username, password string) (*Source, error) {
	if username == "" || password == "" {
		return nil, invalidParameter("A user name and a password are required.")
	}
	return signInPublic(ctx, cfg, FlowPassword, func(ctx context.Context, c public.Client, scopes []string) (public.AuthResult, error) {
		//lint:ignore SA1019 Connect-ExchangeOnline -Credential is ROPC; MSAL deprecates it but Entra still serves it
		res, err := c.AcquireTokenByUsernamePassword(ctx, scopes, username, password)
		return res, classify(err, false)
	})
}

// NewDeviceCode signs in with a device code (-Device). show receives the
// message telling the user where to enter the code, before polling starts;
// NewDeviceCode returns once the user has signed in, the code has expired
// or ctx is done.
func NewDeviceCode(ctx context.Context, cfg Config, show func(message string)) (*Source, error) {
	if show == nil {
		return nil, invalidParameter("The device code flow needs a way to show its message.")
	}
	return signInPublic(ctx, cfg, FlowDeviceCode, func(ctx context.Context, c public.Client, scopes []string) (public.AuthResult, error) {
		dc, err := c.AcquireTokenByDeviceCode(ctx, scopes)
		if err != nil {
			return public.AuthResult{}, classify(err, false)
		}
		show(dc.Result.Message)
		res, err := dc.AuthenticationResult(ctx)
		// MSAL stops polling at the code's expiry with its own deadline.
		if isContextErr(err) && ctx.Err() == nil {
			return public.AuthResult{}, fmt.Errorf("%w: the code was not entered before %s", ErrDeviceCodeExpired, dc.Result.ExpiresOn.Format("15:04:05 MST"))
		}
		return res, classify(err, false)
	})
}

// InteractiveOptions configures browser sign-in.
type InteractiveOptions struct {
	// OpenURL shows the sign-in page to the user, for example by asking the
	// PowerShell side to start a browser. Nil, or an error from it, means
	// no browser is available.
	OpenURL func(url string) error
	// LoginHint pre-fills the account (-UserPrincipalName).
	LoginHint string
	// RedirectURI is the loopback redirect, http://localhost[:port]; empty
	// means a free port.
	RedirectURI string
}

// NewInteractive signs in with the authorization code flow and PKCE, the
// browser returning the code to a loopback listener MSAL runs.
func NewInteractive(ctx context.Context, cfg Config, opts InteractiveOptions) (*Source, error) {
	const useDevice = "; use -Device to sign in with a code on another device"
	if opts.OpenURL == nil {
		return nil, fmt.Errorf("%w%s", ErrNoBrowser, useDevice)
	}
	if opts.RedirectURI != "" && !strings.HasPrefix(opts.RedirectURI, "http://localhost") {
		return nil, invalidParameter("The redirect URI %q is not an http://localhost loopback address.", opts.RedirectURI)
	}
	return signInPublic(ctx, cfg, FlowInteractive, func(ctx context.Context, c public.Client, scopes []string) (public.AuthResult, error) {
		var openErr error
		ia := []public.AcquireInteractiveOption{public.WithOpenURL(func(u string) error {
			openErr = opts.OpenURL(u)
			return openErr
		})}
		if opts.LoginHint != "" {
			ia = append(ia, public.WithLoginHint(opts.LoginHint))
		}
		if opts.RedirectURI != "" {
			ia = append(ia, public.WithRedirectURI(opts.RedirectURI))
		}
		res, err := c.AcquireTokenInteractive(ctx, scopes, ia...)
		if openErr != nil {
			return public.AuthResult{}, fmt.Errorf("%w (%v)%s", ErrNoBrowser, openErr, useDevice)
		}
		return res, classify(err, false)
	})
}

// SilentFromCache restores upn's sign-in at cfg's authority from cfg.Cache,
// as a restarted daemon does, redeeming the cached refresh token if the
// cached access token is too old. It fails with ErrInteractionRequired when
// the cache has no usable sign-in.
func SilentFromCache(ctx context.Context, cfg Config, upn string) (*Source, error) {
	cfg, a, err := cfg.prepare(true)
	if err != nil {
		return nil, err
	}
	if cfg.Cache == nil {
		return nil, fmt.Errorf("%w: no token cache is configured", ErrInteractionRequired)
	}
	client, view, err := cfg.newPublicClient(a)
	if err != nil {
		return nil, err
	}
	accounts, err := client.Accounts(ctx)
	view.release()
	if err != nil {
		return nil, fmt.Errorf("read token cache: %w", err)
	}
	acq := &publicAcquirer{client: client, view: view, scopes: []string{cfg.Scope}}
	for _, acc := range accounts {
		if strings.EqualFold(acc.PreferredUsername, upn) && strings.EqualFold(acc.Environment, a.host) {
			acq.account = acc
			break
		}
	}
	if acq.account.HomeAccountID == "" {
		return nil, fmt.Errorf("%w: no cached sign-in for %s at %s", ErrInteractionRequired, upn, a.host)
	}
	tok, err := acq.acquire(ctx, TokenOptions{})
	if err != nil {
		return nil, err
	}
	return newSource(FlowCache, acq, tok, cfg.Logger), nil
}
