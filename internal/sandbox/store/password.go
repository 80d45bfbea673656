package store

import (
	"crypto/pbkdf2"
	crand "crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// Secrets (passwords, client secrets) are stored as PBKDF2-SHA256 hashes:
// "pbkdf2-sha256$<iterations>$<salt>$<key>", base64 without padding. PBKDF2
// rather than bcrypt because it takes a salt, which lets Seed stay
// deterministic. The iteration count is low on purpose: this guards a local
// test tenant, and tests hash often.
const (
	secretScheme     = "pbkdf2-sha256"
	secretIterations = 10000
	secretKeyLen     = 32
)

// hashSecret hashes secret with salt (16 random bytes when nil).
func hashSecret(secret string, salt []byte) (string, error) {
	if salt == nil {
		salt = make([]byte, 16)
		if _, err := crand.Read(salt); err != nil {
			return "", fmt.Errorf("salt: %w", err)
		}
	}
	key, err := pbkdf2.Key(sha256.New, secret, salt, secretIterations, secretKeyLen)
	if err != nil {
		return "", fmt.Errorf("hash secret: %w", err)
	}
	enc := base64.RawStdEncoding
	return fmt.Sprintf("%s$%d$%s$%s", secretScheme, secretIterations, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// verifySecret reports whether secret matches hash, in constant time.
func verifySecret(hash, secret string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 4 || parts[0] != secretScheme {
		return false
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter <= 0 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[2])
	want, err2 := enc.DecodeString(parts[3])
	if err1 != nil || err2 != nil {
		return false
	}
	got, err := pbkdf2.Key(sha256.New, secret, salt, iter, len(want))
	return err == nil && subtle.ConstantTimeCompare(got, want) == 1
}
