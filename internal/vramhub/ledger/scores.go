package ledger

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"slices"
)

var zeroSignature [ed25519.SignatureSize]byte

// RegisterEnclave verifies an attestation document and records publicKey as
// validator vuid's enclave key, replacing any earlier record. It returns, in
// order: [ErrUnknownPeer], [ErrNotOwner], [ErrNotActiveValidator],
// [ErrBadPublicKey], [ErrEnclaveKeyInUse], [ErrAttestationInvalid],
// [ErrDebugEnclave], [ErrPCRMismatch], [ErrAttestationKeyMismatch].
func (l *Ledger) RegisterEnclave(nowMs uint64, sender string, vuid uint64, publicKey, document []byte) error {
	now := l.now(nowMs)
	p, ok := l.s.Peers[vuid]
	if !ok {
		return reject(CodeUnknownPeer, "uid %d", vuid)
	}
	if p.Owner != sender {
		return reject(CodeNotOwner, "uid %d", vuid)
	}
	if !p.Validator || !p.Active {
		return reject(CodeNotActiveValidator, "uid %d", vuid)
	}
	if len(publicKey) != ed25519.PublicKeySize {
		return reject(CodeBadPublicKey, "%d bytes", len(publicKey))
	}
	keyHex := hex.EncodeToString(publicKey)
	if owner, ok := l.s.EnclaveKeys[keyHex]; ok && owner != vuid {
		return reject(CodeEnclaveKeyInUse, "key held by uid %d", owner)
	}
	v := l.opts.Verifier
	if v == nil && l.s.Profile == ProfileDev {
		v = DevVerifier{}
	}
	if v == nil {
		return reject(CodeAttestationInvalid, "no attestation verifier configured")
	}
	att, err := v.Verify(document, now)
	if err != nil {
		return reject(CodeAttestationInvalid, "%v", err)
	}
	debug := true
	for _, pcr := range att.PCRs {
		for _, b := range pcr {
			debug = debug && b == 0
		}
	}
	if debug {
		return reject(CodeDebugEnclave, "all-zero PCRs")
	}
	for i, pcr := range att.PCRs {
		if !bytes.Equal(pcr, l.s.Params.ExpectedPCRs[i]) {
			return reject(CodePCRMismatch, "PCR%d", i)
		}
	}
	if !bytes.Equal(att.PublicKey, publicKey) {
		return reject(CodeAttestationKeyMismatch, "document names another key")
	}
	if old, ok := l.s.Enclaves[vuid]; ok {
		delete(l.s.EnclaveKeys, hex.EncodeToString(old.PublicKey))
	}
	rec := Enclave{PublicKey: slices.Clone(publicKey), Document: slices.Clone(document), RegisteredAtMs: now, Active: true}
	for i, pcr := range att.PCRs {
		rec.PCRs[i] = slices.Clone(pcr)
	}
	l.s.Enclaves[vuid] = rec
	l.s.EnclaveKeys[keyHex] = vuid
	l.s.ClockMs = now
	l.emit(Event{Type: EventEnclaveRegistered, AtMs: now, UID: vuid, Address: sender})
	return nil
}

// DeactivateEnclave retires validator vuid's enclave record and frees its
// key. It returns [ErrEnclaveNotRegistered] or [ErrNotOwner].
func (l *Ledger) DeactivateEnclave(nowMs uint64, sender string, vuid uint64) error {
	now := l.now(nowMs)
	e, ok := l.s.Enclaves[vuid]
	if !ok || !e.Active {
		return reject(CodeEnclaveNotRegistered, "uid %d", vuid)
	}
	if p := l.s.Peers[vuid]; p == nil || p.Owner != sender {
		return reject(CodeNotOwner, "uid %d", vuid)
	}
	e.Active = false
	l.s.Enclaves[vuid] = e
	delete(l.s.EnclaveKeys, hex.EncodeToString(e.PublicKey))
	l.s.ClockMs = now
	return nil
}

// AnchorCheckpoint anchors a checkpoint for windows from effective on. It
// returns [ErrNotAggregator], or [ErrAnchorWindow] unless effective is
// after the current window and after the last anchor; the first anchor
// of a ledger is exempt from both.
func (l *Ledger) AnchorCheckpoint(nowMs uint64, sender string, effective uint64, hash Hash, key string) error {
	now := l.now(nowMs)
	if sender == "" || sender != l.s.Params.Aggregator {
		return reject(CodeNotAggregator, "sender %s", sender)
	}
	if n := len(l.s.Anchors); n > 0 {
		if cur, ok := l.Window(now); ok && effective <= cur {
			return reject(CodeAnchorWindow, "effective %d ≤ current window %d", effective, cur)
		}
		if last := l.s.Anchors[n-1].Effective; effective <= last {
			return reject(CodeAnchorWindow, "effective %d ≤ last anchor %d", effective, last)
		}
	}
	l.s.Anchors = append(l.s.Anchors, Anchor{Effective: effective, Hash: hash, Key: key})
	l.s.ClockMs = now
	l.emit(Event{Type: EventCheckpointAnchored, AtMs: now, Window: effective, Hash: new(hash)})
	return nil
}

// RecordAggregation records the merged update built from finalized window
// w. It returns [ErrNotAggregator], or [ErrBadParams] when w is not
// finalized or already has a record.
func (l *Ledger) RecordAggregation(nowMs uint64, sender string, w uint64, hash Hash, key string) error {
	now := l.now(nowMs)
	if sender == "" || sender != l.s.Params.Aggregator {
		return reject(CodeNotAggregator, "sender %s", sender)
	}
	if w >= l.s.NextFinalize {
		return reject(CodeBadParams, "window %d not finalized", w)
	}
	if _, ok := l.s.Aggregations[w]; ok {
		return reject(CodeBadParams, "window %d already aggregated", w)
	}
	l.s.Aggregations[w] = Aggregation{Hash: hash, Key: key}
	l.s.ClockMs = now
	return nil
}

// GradientKey returns the object key of miner uid's gradient for window w.
func GradientKey(w, uid uint64) string { return fmt.Sprintf("gradient-%d-%d-v1.pt", w, uid) }

// GradientUpload describes one uploaded gradient.
type GradientUpload struct {
	Key         string `json:"key"`
	ContentHash Hash   `json:"content_hash"`
	Size        uint64 `json:"size"`
	Checkpoint  Hash   `json:"checkpoint_hash"`
}

// SubmitGradient records miner uid's upload for window w during the upload
// phase. It returns, in order: [ErrBeforeGenesis], [ErrUnknownPeer],
// [ErrNotOwner], [ErrNotMiner], [ErrWindowNotOpen], [ErrUploadClosed],
// [ErrDuplicateGradient], [ErrGradientTooLarge], [ErrBadParams] (key),
// [ErrNoCheckpoint], [ErrCheckpointMismatch], [ErrDuplicateContent].
func (l *Ledger) SubmitGradient(nowMs uint64, sender string, uid, w uint64, g GradientUpload) error {
	now := l.now(nowMs)
	cur, ok := l.Window(now)
	if !ok {
		return reject(CodeBeforeGenesis, "now %d < genesis %d", now, l.s.GenesisMs)
	}
	p, ok := l.s.Peers[uid]
	if !ok {
		return reject(CodeUnknownPeer, "uid %d", uid)
	}
	if p.Owner != sender {
		return reject(CodeNotOwner, "uid %d", uid)
	}
	if p.Validator || !p.Active {
		return reject(CodeNotMiner, "uid %d", uid)
	}
	if w > cur {
		return reject(CodeWindowNotOpen, "window %d > current %d", w, cur)
	}
	if w < cur || now >= l.WindowStart(w)+l.s.Params.PutWindowOpenMs {
		return reject(CodeUploadClosed, "window %d at %d", w, now)
	}
	if _, dup := l.s.Gradients[w][uid]; dup {
		return reject(CodeDuplicateGradient, "window %d uid %d", w, uid)
	}
	if g.Size > l.s.Params.MaxGradientBytes {
		return reject(CodeGradientTooLarge, "%d > %d bytes", g.Size, l.s.Params.MaxGradientBytes)
	}
	if want := GradientKey(w, uid); g.Key != want {
		return reject(CodeBadParams, "key %q, want %q", g.Key, want)
	}
	a, err := l.Anchored(w)
	if err != nil {
		return err
	}
	if g.Checkpoint != a.Hash {
		return reject(CodeCheckpointMismatch, "checkpoint %s, anchored %s", g.Checkpoint, a.Hash)
	}
	for other, og := range l.s.Gradients[w] {
		if og.ContentHash == g.ContentHash {
			return reject(CodeDuplicateContent, "same content as uid %d", other)
		}
	}
	if l.s.Gradients[w] == nil {
		l.s.Gradients[w] = map[uint64]Gradient{}
	}
	l.s.Gradients[w][uid] = Gradient{Key: g.Key, ContentHash: g.ContentHash, Size: g.Size, Checkpoint: g.Checkpoint, AtMs: now}
	l.s.ClockMs = now
	l.emit(Event{Type: EventGradientSubmitted, AtMs: now, UID: uid, Window: w, Hash: new(g.ContentHash)})
	return nil
}

// ScoreSubmission is a validator's signed scores for one window.
type ScoreSubmission struct {
	Checkpoint Hash       `json:"checkpoint_hash"`
	Scores     []UIDScore `json:"scores"`
	EnclaveKey HexBytes   `json:"enclave_public_key"`
	Signature  HexBytes   `json:"signature"`
}

// SubmitScores records validator vuid's scores for window w during the
// scoring phase after checking the enclave signature over
// [ScoreMessage](network id, vuid, w, checkpoint, scores). The 64-zero
// "simulated" signature is accepted (and flagged) only under the dev
// profile. It returns, in order: [ErrUnknownPeer], [ErrNotOwner],
// [ErrNotActiveValidator]; [ErrWindowNotOpen], [ErrScoresTooEarly],
// [ErrWindowClosed]; [ErrDuplicateSubmission]; [ErrNoCheckpoint],
// [ErrCheckpointMismatch]; [ErrEmptyScores], [ErrTooManyScores],
// [ErrNonCanonicalScores], [ErrUnknownMiner], [ErrNoGradient],
// [ErrScoreOutOfRange]; [ErrSimulatedSignature]; [ErrEnclaveNotRegistered],
// [ErrEnclaveOutdated], [ErrBadSignature].
func (l *Ledger) SubmitScores(nowMs uint64, sender string, vuid, w uint64, sub ScoreSubmission) error {
	now := l.now(nowMs)
	p, ok := l.s.Peers[vuid]
	if !ok {
		return reject(CodeUnknownPeer, "uid %d", vuid)
	}
	if p.Owner != sender {
		return reject(CodeNotOwner, "uid %d", vuid)
	}
	if !p.Validator || !p.Active || p.Stake < l.s.Params.MinValidatorStake {
		return reject(CodeNotActiveValidator, "uid %d", vuid)
	}
	cur, started := l.Window(now)
	if !started || w > cur {
		return reject(CodeWindowNotOpen, "window %d not open at %d", w, now)
	}
	start := l.WindowStart(w)
	if now < start+l.s.Params.PutWindowOpenMs {
		return reject(CodeScoresTooEarly, "window %d scoring opens at %d", w, start+l.s.Params.PutWindowOpenMs)
	}
	if now >= start+l.s.WindowMs || w < l.s.NextFinalize {
		return reject(CodeWindowClosed, "window %d closed at %d", w, start+l.s.WindowMs)
	}
	if _, dup := l.s.Submissions[w][vuid]; dup {
		return reject(CodeDuplicateSubmission, "window %d validator %d", w, vuid)
	}
	a, err := l.Anchored(w)
	if err != nil {
		return err
	}
	if sub.Checkpoint != a.Hash {
		return reject(CodeCheckpointMismatch, "checkpoint %s, anchored %s", sub.Checkpoint, a.Hash)
	}
	if err := checkPairs(sub.Scores, l.s.Params.MaxScores); err != nil {
		return err
	}
	for _, pr := range sub.Scores {
		m, ok := l.s.Peers[pr.UID]
		if !ok || m.Validator {
			return reject(CodeUnknownMiner, "uid %d", pr.UID)
		}
		if _, ok := l.s.Gradients[w][pr.UID]; !ok {
			return reject(CodeNoGradient, "uid %d window %d", pr.UID, w)
		}
		if pr.Score > MaxAbsScore || pr.Score < -MaxAbsScore {
			return reject(CodeScoreOutOfRange, "uid %d score %d", pr.UID, pr.Score)
		}
	}
	simulated := bytes.Equal(sub.Signature, zeroSignature[:])
	if simulated && l.s.Profile != ProfileDev {
		return reject(CodeSimulatedSignature, "profile %s", l.s.Profile)
	}
	if !simulated {
		if err := l.verifyScores(vuid, w, sub); err != nil {
			return err
		}
	}
	if l.s.Submissions[w] == nil {
		l.s.Submissions[w] = map[uint64]Submission{}
	}
	l.s.Submissions[w][vuid] = Submission{
		Pairs: slices.Clone(sub.Scores), Checkpoint: sub.Checkpoint, Stake: p.Stake,
		Simulated: simulated, Signature: slices.Clone(sub.Signature), AtMs: now,
	}
	l.s.ClockMs = now
	l.emit(Event{Type: EventScoresSubmitted, AtMs: now, UID: vuid, Window: w, Count: uint64(len(sub.Scores)),
		Hash: new(sub.Checkpoint), Simulated: simulated})
	return nil
}

func (l *Ledger) verifyScores(vuid, w uint64, sub ScoreSubmission) error {
	e, ok := l.s.Enclaves[vuid]
	if !ok || !e.Active || !bytes.Equal(e.PublicKey, sub.EnclaveKey) {
		return reject(CodeEnclaveNotRegistered, "validator %d has no active enclave with that key", vuid)
	}
	for i, pcr := range e.PCRs {
		if !bytes.Equal(pcr, l.s.Params.ExpectedPCRs[i]) {
			return reject(CodeEnclaveOutdated, "PCR%d differs from the expected value", i)
		}
	}
	msg, err := ScoreMessage(l.s.NetworkID, vuid, w, sub.Checkpoint, sub.Scores)
	if err != nil {
		return err
	}
	if len(sub.Signature) != ed25519.SignatureSize || !ed25519.Verify(ed25519.PublicKey(e.PublicKey), msg, sub.Signature) {
		return reject(CodeBadSignature, "validator %d window %d", vuid, w)
	}
	return nil
}
