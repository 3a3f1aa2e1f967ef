package subtensor

import (
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/blake2b"

	"github.com/subnetkit/subnetkit/internal/chain/subtensor/scale"
	"github.com/subnetkit/subnetkit/internal/keys"
)

// fakeNode is a JSON-RPC server with a Subtensor node's interface. It
// serves recorded runtime metadata, verifies the sr25519 signature of every
// submitted extrinsic against the signing payload rebuilt from its own
// chain values, and includes accepted extrinsics in a new block together
// with System.Events encoded from the metadata's types.
type fakeNode struct {
	t       testing.TB
	md      *Metadata
	mdRaw   []byte
	spec    uint32
	txVer   uint32
	genesis [32]byte

	mu       sync.Mutex
	blocks   []fakeBlock
	storage  map[string][]byte
	neurons  map[uint16][]byte
	nonces   map[keys.PublicKey]uint32
	refuse   string // module error to fail the next call with
	drop     bool   // accept extrinsics but never include them
	calls    [][]byte
	rejected []string
}

type fakeBlock struct {
	hash   [32]byte
	exts   [][]byte
	events []byte
}

func newFakeNode(t testing.TB, metadata string) (*fakeNode, *httptest.Server) {
	t.Helper()
	raw := loadMetadataBytes(t, metadata)
	md, err := ParseMetadata(raw)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeNode{
		t: t, md: md, mdRaw: raw, spec: 219, txVer: 1,
		storage: map[string][]byte{}, neurons: map[uint16][]byte{}, nonces: map[keys.PublicKey]uint32{},
	}
	for range 10 {
		f.addBlock(nil, nil)
	}
	f.genesis = f.blocks[0].hash
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeNode) addBlock(exts [][]byte, events []byte) {
	n := len(f.blocks)
	h := blake2b.Sum256([]byte{byte(n), byte(n >> 8), 'b'})
	if events == nil {
		events = []byte{0}
	}
	f.blocks = append(f.blocks, fakeBlock{hash: h, exts: exts, events: events})
}

func (f *fakeNode) setStorage(item string, value []byte, keyParts ...[]byte) {
	key, _, err := f.md.StorageKey(pallet, item, keyParts...)
	if err != nil {
		f.t.Fatal(err)
	}
	f.mu.Lock()
	f.storage[hex.EncodeToString(key)] = value
	f.mu.Unlock()
}

type rpcReq struct {
	ID     json.RawMessage   `json:"id"`
	Method string            `json:"method"`
	Params []json.RawMessage `json:"params"`
}

func (f *fakeNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req rpcReq
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	result, rpcErr := f.handle(req)
	f.mu.Unlock()
	resp := map[string]any{"jsonrpc": "2.0", "id": req.ID}
	if rpcErr != nil {
		resp["error"] = rpcErr
	} else {
		resp["result"] = result
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

func (f *fakeNode) param(req rpcReq, i int, v any) bool {
	if i >= len(req.Params) {
		return false
	}
	return json.Unmarshal(req.Params[i], v) == nil
}

func (f *fakeNode) blockByHash(s string) (int, bool) {
	for i, b := range f.blocks {
		if encodeHex(b.hash[:]) == s {
			return i, true
		}
	}
	return 0, false
}

func (f *fakeNode) handle(req rpcReq) (any, *RPCError) {
	head := len(f.blocks) - 1
	switch req.Method {
	case "chain_getBlockHash":
		var n uint64
		if !f.param(req, 0, &n) {
			return encodeHex(f.blocks[head].hash[:]), nil
		}
		if n > uint64(head) {
			return nil, nil
		}
		return encodeHex(f.blocks[n].hash[:]), nil
	case "chain_getHeader":
		return map[string]any{"number": "0x" + hexNum(uint64(head))}, nil
	case "state_getRuntimeVersion":
		return map[string]any{"specVersion": f.spec, "transactionVersion": f.txVer}, nil
	case "state_getMetadata":
		return encodeHex(f.mdRaw), nil
	case "chain_getBlock":
		var h string
		f.param(req, 0, &h)
		i, ok := f.blockByHash(h)
		if !ok {
			return nil, nil
		}
		exts := []string{}
		for _, x := range f.blocks[i].exts {
			exts = append(exts, encodeHex(x))
		}
		return map[string]any{"block": map[string]any{"extrinsics": exts}}, nil
	case "state_getStorage":
		var k string
		f.param(req, 0, &k)
		eventsKey, _, _ := f.md.StorageKey("System", "Events")
		if k == encodeHex(eventsKey) {
			var at string
			i := head
			if f.param(req, 1, &at) {
				var ok bool
				if i, ok = f.blockByHash(at); !ok {
					return nil, &RPCError{Code: 4003, Message: "unknown block"}
				}
			}
			return encodeHex(f.blocks[i].events), nil
		}
		v, ok := f.storage[k[2:]]
		if !ok {
			return nil, nil
		}
		return encodeHex(v), nil
	case "state_queryStorageAt":
		var ks []string
		f.param(req, 0, &ks)
		var changes [][2]any
		for _, k := range ks {
			if v, ok := f.storage[strings.TrimPrefix(k, "0x")]; ok {
				changes = append(changes, [2]any{k, encodeHex(v)})
			} else {
				changes = append(changes, [2]any{k, nil})
			}
		}
		return []map[string]any{{"block": encodeHex(f.blocks[head].hash[:]), "changes": changes}}, nil
	case "state_call":
		var method, arg string
		f.param(req, 0, &method)
		f.param(req, 1, &arg)
		if method != "NeuronInfoRuntimeApi_get_neurons_lite" {
			return nil, &RPCError{Code: -32000, Message: "unknown runtime api " + method}
		}
		b, err := decodeHex(arg)
		if err != nil || len(b) != 2 {
			return nil, &RPCError{Code: -32000, Message: "bad netuid"}
		}
		v, ok := f.neurons[uint16(b[0])|uint16(b[1])<<8]
		if !ok {
			v = []byte{0}
		}
		return encodeHex(v), nil
	case "system_accountNextIndex":
		var addr string
		f.param(req, 0, &addr)
		pk, err := keys.ParseSS58(addr)
		if err != nil {
			return nil, &RPCError{Code: -32000, Message: err.Error()}
		}
		return f.nonces[pk], nil
	case "author_submitExtrinsic":
		var s string
		f.param(req, 0, &s)
		ext, err := decodeHex(s)
		if err != nil {
			return nil, &RPCError{Code: -32602, Message: "bad hex"}
		}
		return f.submit(ext, head)
	}
	return nil, &RPCError{Code: -32601, Message: "method not found: " + req.Method}
}

func (f *fakeNode) invalid(reason string) (any, *RPCError) {
	f.rejected = append(f.rejected, reason)
	data, _ := json.Marshal(reason)
	return nil, &RPCError{Code: 1010, Message: "Invalid Transaction", Data: data}
}

func (f *fakeNode) submit(ext []byte, head int) (any, *RPCError) {
	x, err := f.md.DecodeSignedExtrinsic(ext)
	if err != nil {
		return f.invalid("undecodable: " + err.Error())
	}
	if x.Nonce < f.nonces[x.Signer] {
		return f.invalid("Transaction is outdated")
	}
	if x.Nonce > f.nonces[x.Signer] {
		return f.invalid("Transaction will be valid in the future")
	}
	if x.Era.Period == 0 {
		return f.invalid("client must send mortal transactions")
	}
	birth := x.Era.Birth(uint64(head))
	if birth > uint64(head) || uint64(head) >= birth+x.Era.Period {
		return f.invalid("Transaction has an ancient birth block")
	}
	payload, err := f.md.SigningPayload(x, f.spec, f.txVer, f.genesis, f.blocks[birth].hash)
	if err != nil {
		return f.invalid(err.Error())
	}
	if !x.Signer.Verify(payload, x.Signature) {
		return f.invalid("Transaction has a bad signature")
	}
	f.nonces[x.Signer]++
	f.calls = append(f.calls, x.Call)
	h := blake2b.Sum256(ext)
	if f.drop {
		f.addBlock(nil, nil)
		f.addBlock(nil, nil)
		f.addBlock(nil, nil)
		return encodeHex(h[:]), nil
	}
	// One unrelated extrinsic first, so the index matters.
	other := []byte{4, 1, 2, 3}
	events := f.encodeEvents([]fakeEvent{{idx: 0}, {idx: 1, failPallet: pallet, failErr: f.refuse}})
	f.refuse = ""
	f.addBlock([][]byte{other, ext}, events)
	return encodeHex(h[:]), nil
}

type fakeEvent struct {
	idx        uint32
	failPallet string
	failErr    string
}

// encodeEvents builds System.Events bytes with the metadata's own types.
func (f *fakeNode) encodeEvents(evs []fakeEvent) []byte {
	md := f.md
	_, entry, err := md.StorageKey("System", "Events")
	if err != nil {
		f.t.Fatal(err)
	}
	rec := md.Type(md.Type(entry.Value).Elem)
	fieldType := func(t *Type, name string) uint32 {
		for _, fl := range t.Fields {
			if fl.Name == name {
				return fl.Type
			}
		}
		f.t.Fatalf("type %v has no field %s", t.Path, name)
		return 0
	}
	phaseT := fieldType(rec, "phase")
	eventT := fieldType(rec, "event")
	apply, _ := md.variantByName(phaseT, "ApplyExtrinsic")
	sysVariant, _ := md.variantByName(eventT, "System")
	sysEvT := sysVariant.Fields[0].Type
	success, _ := md.variantByName(sysEvT, "ExtrinsicSuccess")
	failed, _ := md.variantByName(sysEvT, "ExtrinsicFailed")

	var e scale.Encoder
	e.Compact(uint64(len(evs)))
	for _, ev := range evs {
		e.U8(apply.Index).U32(ev.idx).U8(sysVariant.Index)
		if ev.failErr == "" {
			e.U8(success.Index)
			for _, fl := range success.Fields {
				e.Raw(zeroValue(md, fl.Type))
			}
		} else {
			e.U8(failed.Index)
			deT := failed.Fields[0].Type
			module, _ := md.variantByName(deT, "Module")
			p, _ := md.Pallet(ev.failPallet)
			errV, ok := md.variantByName(*p.Errors, ev.failErr)
			if !ok {
				f.t.Fatalf("pallet %s has no error %s", ev.failPallet, ev.failErr)
			}
			e.U8(module.Index).U8(p.Index).Raw([]byte{errV.Index, 0, 0, 0})
			for _, fl := range failed.Fields[1:] {
				e.Raw(zeroValue(md, fl.Type))
			}
		}
		e.Compact(0) // topics
	}
	return e.Bytes()
}

// zeroValue encodes the zero value of a registry type.
func zeroValue(md *Metadata, id uint32) []byte {
	t := md.Type(id)
	switch t.Def {
	case defComposite:
		var out []byte
		for _, f := range t.Fields {
			out = append(out, zeroValue(md, f.Type)...)
		}
		return out
	case defVariant:
		out := []byte{t.Variants[0].Index}
		for _, f := range t.Variants[0].Fields {
			out = append(out, zeroValue(md, f.Type)...)
		}
		return out
	case defArray:
		var out []byte
		for range t.Len {
			out = append(out, zeroValue(md, t.Elem)...)
		}
		return out
	case defTuple:
		var out []byte
		for _, e := range t.Tuple {
			out = append(out, zeroValue(md, e)...)
		}
		return out
	case defPrimitive:
		size := map[int]int{primBool: 1, primChar: 4, primStr: 1, primU8: 1, primU16: 2, primU32: 4, primU64: 8,
			primU128: 16, primU256: 32, primI8: 1, primI16: 2, primI32: 4, primI64: 8, primI128: 16, primI256: 32}
		return make([]byte, size[t.Prim])
	default: // sequence, compact, bit sequence
		return []byte{0}
	}
}

func hexNum(v uint64) string {
	const digits = "0123456789abcdef"
	if v == 0 {
		return "0"
	}
	var b []byte
	for v > 0 {
		b = append([]byte{digits[v&15]}, b...)
		v >>= 4
	}
	return string(b)
}
