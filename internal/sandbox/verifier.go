package sandbox

import (
	"context"
	"errors"
	"fmt"

	"github.com/openexo/exo/internal/sandbox/adminapi"
	"github.com/openexo/exo/internal/sandbox/idp"
)

// verifier lets the admin API check tokens the identity provider issued.
type verifier struct {
	v *idp.Verifier
}

func (v verifier) Verify(ctx context.Context, raw, audience string) (adminapi.Caller, error) {
	c, err := v.v.Verify(ctx, raw, audience)
	if err != nil {
		var ve *idp.VerifyError
		switch {
		case errors.As(err, &ve) && errors.Is(err, idp.ErrTokenRevoked):
			return adminapi.Caller{}, &adminapi.ClaimsChallengeError{Claims: ve.Claims, Reason: ve.Reason}
		case errors.Is(err, idp.ErrTokenExpired):
			return adminapi.Caller{}, fmt.Errorf("%w: %w", adminapi.ErrTokenExpired, err)
		case errors.As(err, &ve) && ve.Kind == idp.ErrTokenInvalid:
			return adminapi.Caller{}, fmt.Errorf("%w: %w", adminapi.ErrTokenInvalid, err)
		default:
			return adminapi.Caller{}, err
		}
	}
	caller := adminapi.Caller{
		TenantID: c.TenantID,
		ObjectID: c.ObjectID,
		UPN:      c.UPN,
		AppID:    c.AppID,
		Roles:    c.ExchangeRoles,
		Audience: c.Audience,
	}
	return caller, nil
}
