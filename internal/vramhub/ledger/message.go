package ledger

import (
	"encoding/binary"
)

// ScoreDomain is the domain tag of the canonical score message.
const ScoreDomain = "vramhub-scores-v1"

// MaxPairs is the most pairs one score message may carry.
const MaxPairs = 256

// ScoreMessage returns the canonical bytes an enclave signs for scores of
// window by validatorUID at checkpoint:
//
//	u8(17) "vramhub-scores-v1"
//	u8(len) networkID              1..64 printable ASCII bytes
//	le64(validatorUID) le64(window)
//	u8(32) checkpoint
//	le32(n)                        1 ≤ n ≤ 256
//	n × (le64(uid) ‖ le64(score))  uid strictly ascending, score two's complement
//
// The length is 72 + len(networkID) + 16n. It returns a *[RejectError]:
// [ErrBadParams] for a bad network id, [ErrEmptyScores], [ErrTooManyScores]
// or [ErrNonCanonicalScores]. scores is not retained.
func ScoreMessage(networkID string, validatorUID, window uint64, checkpoint [32]byte, scores []UIDScore) ([]byte, error) {
	if err := checkNetworkID(networkID); err != nil {
		return nil, err
	}
	if err := checkPairs(scores, MaxPairs); err != nil {
		return nil, err
	}
	b := make([]byte, 0, 72+len(networkID)+16*len(scores))
	b = append(b, byte(len(ScoreDomain)))
	b = append(b, ScoreDomain...)
	b = append(b, byte(len(networkID)))
	b = append(b, networkID...)
	b = binary.LittleEndian.AppendUint64(b, validatorUID)
	b = binary.LittleEndian.AppendUint64(b, window)
	b = append(b, 32)
	b = append(b, checkpoint[:]...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(scores)))
	for _, p := range scores {
		b = binary.LittleEndian.AppendUint64(b, p.UID)
		b = binary.LittleEndian.AppendUint64(b, uint64(p.Score))
	}
	return b, nil
}

func checkNetworkID(id string) error {
	if len(id) == 0 || len(id) > 64 {
		return reject(CodeBadParams, "network id length %d not in [1, 64]", len(id))
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x21 || id[i] > 0x7e {
			return reject(CodeBadParams, "network id byte %#x is not printable ASCII", id[i])
		}
	}
	return nil
}

// checkPairs enforces 1 ≤ n ≤ limit and strictly ascending uids.
func checkPairs(scores []UIDScore, limit uint64) error {
	switch {
	case len(scores) == 0:
		return reject(CodeEmptyScores, "no pairs")
	case uint64(len(scores)) > limit:
		return reject(CodeTooManyScores, "%d pairs > %d", len(scores), limit)
	}
	for i := 1; i < len(scores); i++ {
		if scores[i].UID <= scores[i-1].UID {
			return reject(CodeNonCanonicalScores, "uid %d follows %d", scores[i].UID, scores[i-1].UID)
		}
	}
	return nil
}
