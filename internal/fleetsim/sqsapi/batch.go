package sqsapi

import (
	"regexp"

	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// maxBatch is how many entries a batch call takes.
const maxBatch = 10

// batchID is what a batch entry's Id may be: "alphanumeric characters,
// hyphens and underscores", up to 80.
var batchID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)

// checkBatch refuses a batch as SQS does, before any entry runs.
func checkBatch(ids []string) error {
	switch {
	case len(ids) == 0:
		return wire.ClientErr(CodeEmptyBatch, "There should be at least one entry in the request.")
	case len(ids) > maxBatch:
		return wire.ClientErr(CodeTooManyEntries, "Maximum number of entries per request are %d. You have sent %d.", maxBatch, len(ids))
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if !batchID.MatchString(id) {
			return wire.ClientErr(CodeInvalidBatchEntryID, "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.")
		}
		if seen[id] {
			return wire.ClientErr(CodeBatchIDsNotDistinct, "Id %s repeated.", id)
		}
		seen[id] = true
	}
	return nil
}

// entryError turns an entry's failure into its Failed entry.
func entryError(id string, err error) batchError {
	e := wire.AsError(err)
	return batchError{ID: id, SenderFault: e.Status < 500, Code: e.Code, Message: e.Message}
}
