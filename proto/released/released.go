// Package released holds the last released exo.v1 API descriptor
// (written by scripts/release-api.sh), so the daemon can name the release
// whose clients it serves.
package released

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
)

//go:embed exo.v1.binpb
var descriptor string

// SHA256 is the hex SHA-256 of the released descriptor file.
func SHA256() string {
	sum := sha256.Sum256([]byte(descriptor))
	return hex.EncodeToString(sum[:])
}
