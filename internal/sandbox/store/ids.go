package store

import (
	crand "crypto/rand"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// Identifiers come from a *rand.Rand so that Seed, which passes a PRNG
// seeded from its options, builds the same tenant every time; live writes
// pass one seeded from crypto/rand.

// newRand returns a PRNG seeded from crypto/rand, for live writes.
func newRand() *rand.Rand {
	var b [16]byte
	_, _ = crand.Read(b[:]) // never fails on supported platforms
	return rand.New(rand.NewPCG(binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])))
}

// randomGUID returns a version-4 GUID drawn from r.
func randomGUID(r *rand.Rand) string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], r.Uint64())
	binary.LittleEndian.PutUint64(b[8:], r.Uint64())
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return uuid.UUID(b).String()
}

// derivedGUID is a stable GUID named by label within namespace (a GUID).
func derivedGUID(namespace, label string) string {
	ns, err := uuid.Parse(namespace)
	if err != nil {
		ns = uuid.Nil
	}
	return uuid.NewSHA1(ns, []byte(label)).String()
}

// randomHex returns n random bytes from r as upper-case hex.
func randomHex(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return strings.ToUpper(hex.EncodeToString(b))
}

// folderID makes an EWS-style folder ID (base64 of a 46-byte entry ID)
// from the tenant and the folder's row key, so it needs no storage.
func folderID(tenantID string, key int64) string {
	sum := sha512.Sum512([]byte(tenantID + "/folder/" + strconv.FormatInt(key, 10)))
	b := make([]byte, 46)
	b[0] = 0x2e // the length prefix real IDs start with ("LgAA…")
	copy(b[2:], sum[:44])
	return base64.StdEncoding.EncodeToString(b)
}

// canonicalGUID lower-cases a GUID and strips braces; ok is false when s is
// not a GUID.
func canonicalGUID(s string) (string, bool) {
	u, err := uuid.Parse(strings.Trim(strings.TrimSpace(s), "{}"))
	if err != nil {
		return "", false
	}
	return u.String(), true
}

// legacyExchangeDN is the X500 name Exchange gives a recipient, derived
// here from its GUID and alias.
func legacyExchangeDN(guid, alias string) string {
	suffix := alias
	if len(suffix) > 8 {
		suffix = suffix[:8]
	}
	return "/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=" +
		strings.ReplaceAll(guid, "-", "") + "-" + suffix
}
