package ledger

import (
	"fmt"

	"github.com/subnetkit/subnetkit/internal/vramhub/rewards"
)

// OpType names an operation.
type OpType string

// Operation types.
const (
	OpTransfer           OpType = "transfer"
	OpPremint            OpType = "premint"
	OpRegisterPeer       OpType = "register_peer"
	OpRegisterValidator  OpType = "register_validator"
	OpUpdateCredentials  OpType = "update_credentials"
	OpRegisterEnclave    OpType = "register_enclave"
	OpDeactivateEnclave  OpType = "deactivate_enclave"
	OpAnchorCheckpoint   OpType = "anchor_checkpoint"
	OpRecordAggregation  OpType = "record_aggregation"
	OpSubmitGradient     OpType = "submit_gradient"
	OpSubmitScores       OpType = "submit_scores"
	OpFinalize           OpType = "finalize"
	OpUpdateSplit        OpType = "update_split"
	OpUpdateBurnTiers    OpType = "update_burn_tiers"
	OpUpdateExpectedPCRs OpType = "update_expected_pcrs"
	OpUpdateParams       OpType = "update_params"
	OpSetAggregator      OpType = "set_aggregator"
	OpSlash              OpType = "slash"
)

// OpTypes lists every operation type.
var OpTypes = []OpType{
	OpTransfer, OpPremint, OpRegisterPeer, OpRegisterValidator, OpUpdateCredentials, OpRegisterEnclave,
	OpDeactivateEnclave, OpAnchorCheckpoint, OpRecordAggregation, OpSubmitGradient, OpSubmitScores, OpFinalize,
	OpUpdateSplit, OpUpdateBurnTiers, OpUpdateExpectedPCRs, OpUpdateParams, OpSetAggregator, OpSlash,
}

// Op is one operation as a value: what a shell logs and replays, and what
// travels over HTTP. Only the fields the type uses are read:
//
//	transfer              sender → to, amount
//	premint               sender, allocations
//	register_peer         sender, amount (stake), credentials
//	register_validator    sender, amount (stake)
//	update_credentials    sender, uid, credentials
//	register_enclave      sender, uid, public_key, document
//	deactivate_enclave    sender, uid
//	anchor_checkpoint     sender, window (effective), hash, key
//	record_aggregation    sender, window, hash, key
//	submit_gradient       sender, uid, window, gradient
//	submit_scores         sender, uid (validator), window, scores
//	finalize              window
//	update_split          sender, split
//	update_burn_tiers     sender, burn_tiers
//	update_expected_pcrs  sender, pcrs
//	update_params         sender, params
//	set_aggregator        sender, to
//	slash                 sender, uid, amount
type Op struct {
	Type        OpType           `json:"type"`
	NowMs       uint64           `json:"now_ms"`
	Sender      string           `json:"sender,omitempty"`
	To          string           `json:"to,omitempty"`
	Amount      uint64           `json:"amount,omitempty"`
	UID         uint64           `json:"uid,omitempty"`
	Window      uint64           `json:"window,omitempty"`
	Hash        Hash             `json:"hash,omitzero"`
	Key         string           `json:"key,omitempty"`
	PublicKey   HexBytes         `json:"public_key,omitempty"`
	Document    HexBytes         `json:"document,omitempty"`
	Allocations []Allocation     `json:"allocations,omitempty"`
	Credentials *Credentials     `json:"credentials,omitempty"`
	Gradient    *GradientUpload  `json:"gradient,omitempty"`
	Scores      *ScoreSubmission `json:"scores,omitempty"`
	Split       *rewards.Split   `json:"split,omitempty"`
	BurnTiers   *BurnTiers       `json:"burn_tiers,omitempty"`
	PCRs        *[3]HexBytes     `json:"pcrs,omitempty"`
	Params      *Params          `json:"params,omitempty"`
}

// Result is what a successful operation returns.
type Result struct {
	// UID is the new uid of register_peer and register_validator.
	UID uint64 `json:"uid,omitempty"`
	// Ticket is register_validator's ticket.
	Ticket *Ticket `json:"ticket,omitempty"`
	// Window is finalize's record.
	Window *WindowRecord `json:"window_record,omitempty"`
}

// Apply runs op. It returns the operation's *[RejectError], or
// [ErrBadParams] for an unknown type or a missing argument; either way
// nothing changes.
func (l *Ledger) Apply(op Op) (Result, error) {
	var res Result
	var err error
	missing := func(field string) error { return reject(CodeBadParams, "%s: missing %s", op.Type, field) }
	switch op.Type {
	case OpTransfer:
		err = l.Transfer(op.NowMs, op.Sender, op.To, op.Amount)
	case OpPremint:
		err = l.Premint(op.NowMs, op.Sender, op.Allocations)
	case OpRegisterPeer:
		var c Credentials
		if op.Credentials != nil {
			c = *op.Credentials
		}
		res.UID, err = l.RegisterPeer(op.NowMs, op.Sender, op.Amount, c)
	case OpRegisterValidator:
		var t Ticket
		res.UID, t, err = l.RegisterValidator(op.NowMs, op.Sender, op.Amount)
		if err == nil {
			res.Ticket = &t
		}
	case OpUpdateCredentials:
		if op.Credentials == nil {
			return res, missing("credentials")
		}
		err = l.UpdateCredentials(op.NowMs, op.Sender, op.UID, *op.Credentials)
	case OpRegisterEnclave:
		err = l.RegisterEnclave(op.NowMs, op.Sender, op.UID, op.PublicKey, op.Document)
	case OpDeactivateEnclave:
		err = l.DeactivateEnclave(op.NowMs, op.Sender, op.UID)
	case OpAnchorCheckpoint:
		err = l.AnchorCheckpoint(op.NowMs, op.Sender, op.Window, op.Hash, op.Key)
	case OpRecordAggregation:
		err = l.RecordAggregation(op.NowMs, op.Sender, op.Window, op.Hash, op.Key)
	case OpSubmitGradient:
		if op.Gradient == nil {
			return res, missing("gradient")
		}
		err = l.SubmitGradient(op.NowMs, op.Sender, op.UID, op.Window, *op.Gradient)
	case OpSubmitScores:
		if op.Scores == nil {
			return res, missing("scores")
		}
		err = l.SubmitScores(op.NowMs, op.Sender, op.UID, op.Window, *op.Scores)
	case OpFinalize:
		var rec WindowRecord
		rec, err = l.Finalize(op.NowMs, op.Window)
		if err == nil {
			res.Window = &rec
		}
	case OpUpdateSplit:
		if op.Split == nil {
			return res, missing("split")
		}
		err = l.UpdateSplit(op.NowMs, op.Sender, *op.Split)
	case OpUpdateBurnTiers:
		if op.BurnTiers == nil {
			return res, missing("burn_tiers")
		}
		err = l.UpdateBurnTiers(op.NowMs, op.Sender, *op.BurnTiers)
	case OpUpdateExpectedPCRs:
		if op.PCRs == nil {
			return res, missing("pcrs")
		}
		err = l.UpdateExpectedPCRs(op.NowMs, op.Sender, *op.PCRs)
	case OpUpdateParams:
		if op.Params == nil {
			return res, missing("params")
		}
		err = l.UpdateParams(op.NowMs, op.Sender, *op.Params)
	case OpSetAggregator:
		err = l.SetAggregator(op.NowMs, op.Sender, op.To)
	case OpSlash:
		err = l.Slash(op.NowMs, op.Sender, op.UID, op.Amount)
	default:
		return res, reject(CodeBadParams, "unknown operation %q", op.Type)
	}
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

// String returns a short description for logs.
func (op Op) String() string {
	return fmt.Sprintf("%s(sender=%s uid=%d window=%d at=%d)", op.Type, op.Sender, op.UID, op.Window, op.NowMs)
}
