package scanner

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// ClaimedSignature is the event the scanner reads.
const ClaimedSignature = "ChannelClaimed(bytes32,address,uint256)"

// ClaimedTopic is topic0 of ChannelClaimed, keccak256 of [ClaimedSignature]
// (0xf52962519ffeefc816f3b8d3e9498fd9fd014f35c0b6aeead0118577a42bb324).
var ClaimedTopic = crypto.Keccak256Hash([]byte(ClaimedSignature))

// ErrMalformedLog is returned for a log that is not a well-formed
// ChannelClaimed event of the scanned contract and range.
var ErrMalformedLog = errors.New("malformed ChannelClaimed log")

// Claim is one decoded ChannelClaimed event.
type Claim struct {
	// Block and Index locate the log (Index is the log index in the block).
	Block uint64
	Index uint
	// BlockHash and TxHash identify where it was seen (informational).
	BlockHash common.Hash
	TxHash    common.Hash
	// Channel is the channel id (topic1).
	Channel common.Hash
	// Provider is the claiming provider (topic2, an address left-padded to
	// 32 bytes).
	Provider common.Address
	// Amount is the USDC paid by this claim in base units (data, uint256).
	Amount *big.Int
}

// DecodeClaim decodes a ChannelClaimed log: exactly three topics (topic0 =
// [ClaimedTopic], topic1 = channel id, topic2 = provider address whose 12
// padding bytes are zero) and 32 bytes of data (the amount). It does not
// check the log's address or whether it was removed. Any other shape
// returns an error wrapping [ErrMalformedLog].
func DecodeClaim(l types.Log) (Claim, error) {
	if len(l.Topics) != 3 {
		return Claim{}, fmt.Errorf("%w: %d topics, want 3", ErrMalformedLog, len(l.Topics))
	}
	if l.Topics[0] != ClaimedTopic {
		return Claim{}, fmt.Errorf("%w: topic0 %s is not ChannelClaimed", ErrMalformedLog, l.Topics[0])
	}
	t2 := l.Topics[2]
	for _, b := range t2[:12] {
		if b != 0 {
			return Claim{}, fmt.Errorf("%w: provider topic %s is not a padded address", ErrMalformedLog, t2)
		}
	}
	if len(l.Data) != 32 {
		return Claim{}, fmt.Errorf("%w: %d data bytes, want 32", ErrMalformedLog, len(l.Data))
	}
	return Claim{
		Block:     l.BlockNumber,
		Index:     l.Index,
		BlockHash: l.BlockHash,
		TxHash:    l.TxHash,
		Channel:   l.Topics[1],
		Provider:  common.BytesToAddress(t2[12:]),
		Amount:    new(big.Int).SetBytes(l.Data),
	}, nil
}

// same reports whether two claims at one position carry the same event.
func (c Claim) same(o Claim) bool {
	return c.Block == o.Block && c.Index == o.Index && c.BlockHash == o.BlockHash && c.TxHash == o.TxHash &&
		c.Channel == o.Channel && c.Provider == o.Provider && c.Amount.Cmp(o.Amount) == 0
}
