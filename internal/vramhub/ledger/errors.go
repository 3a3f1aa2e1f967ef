package ledger

import "fmt"

// Code is the stable numeric code of a ledger rejection.
type Code uint16

// Rejection codes; the numbers are stable and travel over the wire.
const (
	CodeNotAdmin               Code = 1
	CodeNotAggregator          Code = 2
	CodeNotOwner               Code = 3
	CodeUnknownPeer            Code = 4
	CodeAlreadyRegistered      Code = 5
	CodeStakeTooLow            Code = 6
	CodeInsufficientBalance    Code = 7
	CodeValidatorSlotsFull     Code = 8
	CodeBadBurnTiers           Code = 9
	CodeNotActiveValidator     Code = 10
	CodeNotMiner               Code = 11
	CodeBeforeGenesis          Code = 12
	CodeWindowNotOpen          Code = 13
	CodeUploadClosed           Code = 14
	CodeScoresTooEarly         Code = 15
	CodeWindowClosed           Code = 16
	CodeDuplicateGradient      Code = 17
	CodeDuplicateContent       Code = 18
	CodeGradientTooLarge       Code = 19
	CodeNoCheckpoint           Code = 20
	CodeCheckpointMismatch     Code = 21
	CodeDuplicateSubmission    Code = 22
	CodeEmptyScores            Code = 23
	CodeTooManyScores          Code = 24
	CodeNonCanonicalScores     Code = 25
	CodeUnknownMiner           Code = 26
	CodeNoGradient             Code = 27
	CodeScoreOutOfRange        Code = 28
	CodeSimulatedSignature     Code = 29
	CodeEnclaveNotRegistered   Code = 30
	CodeEnclaveOutdated        Code = 31
	CodeBadSignature           Code = 32
	CodeAttestationInvalid     Code = 33
	CodePCRMismatch            Code = 34
	CodeDebugEnclave           Code = 35
	CodeAttestationKeyMismatch Code = 36
	CodeBadPublicKey           Code = 37
	CodeEnclaveKeyInUse        Code = 38
	CodeAnchorWindow           Code = 39
	CodeWindowNotClosed        Code = 40
	CodeFinalizeOrder          Code = 41
	CodeAlreadyFinalized       Code = 42
	CodeBadSplit               Code = 43
	CodeSupplyCap              Code = 44
	CodeAlreadyPreminted       Code = 45
	CodeBadParams              Code = 46
)

var codeNames = [...]string{
	CodeNotAdmin: "NotAdmin", CodeNotAggregator: "NotAggregator", CodeNotOwner: "NotOwner",
	CodeUnknownPeer: "UnknownPeer", CodeAlreadyRegistered: "AlreadyRegistered", CodeStakeTooLow: "StakeTooLow",
	CodeInsufficientBalance: "InsufficientBalance", CodeValidatorSlotsFull: "ValidatorSlotsFull",
	CodeBadBurnTiers: "BadBurnTiers", CodeNotActiveValidator: "NotActiveValidator", CodeNotMiner: "NotMiner",
	CodeBeforeGenesis: "BeforeGenesis", CodeWindowNotOpen: "WindowNotOpen", CodeUploadClosed: "UploadClosed",
	CodeScoresTooEarly: "ScoresTooEarly", CodeWindowClosed: "WindowClosed", CodeDuplicateGradient: "DuplicateGradient",
	CodeDuplicateContent: "DuplicateContent", CodeGradientTooLarge: "GradientTooLarge", CodeNoCheckpoint: "NoCheckpoint",
	CodeCheckpointMismatch: "CheckpointMismatch", CodeDuplicateSubmission: "DuplicateSubmission",
	CodeEmptyScores: "EmptyScores", CodeTooManyScores: "TooManyScores", CodeNonCanonicalScores: "NonCanonicalScores",
	CodeUnknownMiner: "UnknownMiner", CodeNoGradient: "NoGradient", CodeScoreOutOfRange: "ScoreOutOfRange",
	CodeSimulatedSignature: "SimulatedSignature", CodeEnclaveNotRegistered: "EnclaveNotRegistered",
	CodeEnclaveOutdated: "EnclaveOutdated", CodeBadSignature: "BadSignature",
	CodeAttestationInvalid: "AttestationInvalid", CodePCRMismatch: "PCRMismatch", CodeDebugEnclave: "DebugEnclave",
	CodeAttestationKeyMismatch: "AttestationKeyMismatch", CodeBadPublicKey: "BadPublicKey",
	CodeEnclaveKeyInUse: "EnclaveKeyInUse", CodeAnchorWindow: "AnchorWindow", CodeWindowNotClosed: "WindowNotClosed",
	CodeFinalizeOrder: "FinalizeOrder", CodeAlreadyFinalized: "AlreadyFinalized", CodeBadSplit: "BadSplit",
	CodeSupplyCap: "SupplyCap", CodeAlreadyPreminted: "AlreadyPreminted", CodeBadParams: "BadParams",
}

// String returns the code's name, such as "WindowClosed".
func (c Code) String() string {
	if int(c) < len(codeNames) && codeNames[c] != "" {
		return codeNames[c]
	}
	return fmt.Sprintf("Code(%d)", uint16(c))
}

// RejectError is the error every rejected operation returns. It matches the
// sentinel of its code under errors.Is, whatever the Detail:
//
//	if errors.Is(err, ledger.ErrWindowClosed) { ... }
type RejectError struct {
	Code   Code
	Detail string
}

// Error implements error.
func (e *RejectError) Error() string {
	if e.Detail == "" {
		return "ledger: " + e.Code.String()
	}
	return "ledger: " + e.Code.String() + ": " + e.Detail
}

// Is reports whether target is a *RejectError with the same code.
func (e *RejectError) Is(target error) bool {
	t, ok := target.(*RejectError)
	return ok && t.Code == e.Code
}

func reject(c Code, format string, args ...any) error {
	return &RejectError{Code: c, Detail: fmt.Sprintf(format, args...)}
}

// Sentinels, one per [Code], for errors.Is.
var (
	ErrNotAdmin               = &RejectError{Code: CodeNotAdmin}
	ErrNotAggregator          = &RejectError{Code: CodeNotAggregator}
	ErrNotOwner               = &RejectError{Code: CodeNotOwner}
	ErrUnknownPeer            = &RejectError{Code: CodeUnknownPeer}
	ErrAlreadyRegistered      = &RejectError{Code: CodeAlreadyRegistered}
	ErrStakeTooLow            = &RejectError{Code: CodeStakeTooLow}
	ErrInsufficientBalance    = &RejectError{Code: CodeInsufficientBalance}
	ErrValidatorSlotsFull     = &RejectError{Code: CodeValidatorSlotsFull}
	ErrBadBurnTiers           = &RejectError{Code: CodeBadBurnTiers}
	ErrNotActiveValidator     = &RejectError{Code: CodeNotActiveValidator}
	ErrNotMiner               = &RejectError{Code: CodeNotMiner}
	ErrBeforeGenesis          = &RejectError{Code: CodeBeforeGenesis}
	ErrWindowNotOpen          = &RejectError{Code: CodeWindowNotOpen}
	ErrUploadClosed           = &RejectError{Code: CodeUploadClosed}
	ErrScoresTooEarly         = &RejectError{Code: CodeScoresTooEarly}
	ErrWindowClosed           = &RejectError{Code: CodeWindowClosed}
	ErrDuplicateGradient      = &RejectError{Code: CodeDuplicateGradient}
	ErrDuplicateContent       = &RejectError{Code: CodeDuplicateContent}
	ErrGradientTooLarge       = &RejectError{Code: CodeGradientTooLarge}
	ErrNoCheckpoint           = &RejectError{Code: CodeNoCheckpoint}
	ErrCheckpointMismatch     = &RejectError{Code: CodeCheckpointMismatch}
	ErrDuplicateSubmission    = &RejectError{Code: CodeDuplicateSubmission}
	ErrEmptyScores            = &RejectError{Code: CodeEmptyScores}
	ErrTooManyScores          = &RejectError{Code: CodeTooManyScores}
	ErrNonCanonicalScores     = &RejectError{Code: CodeNonCanonicalScores}
	ErrUnknownMiner           = &RejectError{Code: CodeUnknownMiner}
	ErrNoGradient             = &RejectError{Code: CodeNoGradient}
	ErrScoreOutOfRange        = &RejectError{Code: CodeScoreOutOfRange}
	ErrSimulatedSignature     = &RejectError{Code: CodeSimulatedSignature}
	ErrEnclaveNotRegistered   = &RejectError{Code: CodeEnclaveNotRegistered}
	ErrEnclaveOutdated        = &RejectError{Code: CodeEnclaveOutdated}
	ErrBadSignature           = &RejectError{Code: CodeBadSignature}
	ErrAttestationInvalid     = &RejectError{Code: CodeAttestationInvalid}
	ErrPCRMismatch            = &RejectError{Code: CodePCRMismatch}
	ErrDebugEnclave           = &RejectError{Code: CodeDebugEnclave}
	ErrAttestationKeyMismatch = &RejectError{Code: CodeAttestationKeyMismatch}
	ErrBadPublicKey           = &RejectError{Code: CodeBadPublicKey}
	ErrEnclaveKeyInUse        = &RejectError{Code: CodeEnclaveKeyInUse}
	ErrAnchorWindow           = &RejectError{Code: CodeAnchorWindow}
	ErrWindowNotClosed        = &RejectError{Code: CodeWindowNotClosed}
	ErrFinalizeOrder          = &RejectError{Code: CodeFinalizeOrder}
	ErrAlreadyFinalized       = &RejectError{Code: CodeAlreadyFinalized}
	ErrBadSplit               = &RejectError{Code: CodeBadSplit}
	ErrSupplyCap              = &RejectError{Code: CodeSupplyCap}
	ErrAlreadyPreminted       = &RejectError{Code: CodeAlreadyPreminted}
	ErrBadParams              = &RejectError{Code: CodeBadParams}
)
