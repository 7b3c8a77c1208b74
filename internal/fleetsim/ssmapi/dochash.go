package ssmapi

import (
	"crypto/sha1" //nolint:gosec // SSM still takes Sha1 DocumentHashes (deprecated); the simulator answers as SSM does
	"encoding/hex"

	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// documentHashFields are SendCommand's DocumentHash members.
type documentHashFields struct {
	DocumentHash     string `json:"DocumentHash"`
	DocumentHashType string `json:"DocumentHashType"`
}

// checkDocumentHash does what SSM does with SendCommand's DocumentHash
// and DocumentHashType: a hash that is not the one of the version about
// to run refuses the command with InvalidDocument, "document hash <hash>
// does not match <type>." (the answer SSM gives, as seen in the field),
// so a document changed behind the caller's back never runs.
func checkDocumentHash(v *docVersion, hash, hashType string) error {
	if hash == "" {
		return nil
	}
	// DocumentHashType is Sha256 or Sha1 (the model's enum, checked
	// before any operation runs) or absent.
	if hashType == "Sha1" {
		sum := sha1.Sum([]byte(v.content)) //nolint:gosec // see the import
		if hash == hex.EncodeToString(sum[:]) {
			return nil
		}
	} else {
		if hash == v.hash {
			return nil
		}
		hashType = "Sha256"
	}
	return wire.ClientErr(CodeInvalidDocument, "document hash %s does not match %s.", hash, hashType)
}
