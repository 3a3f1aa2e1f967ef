package axon

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/subnetkit/subnetkit/internal/keys"
)

// Header names of the scheme (HTTP header names are case-insensitive; the
// Python stack sends them in lower case).
const (
	HeaderName             = "name"
	HeaderTimeout          = "timeout"
	HeaderDendriteIP       = "bt_header_dendrite_ip"
	HeaderDendriteVersion  = "bt_header_dendrite_version"
	HeaderDendriteNonce    = "bt_header_dendrite_nonce"
	HeaderDendriteUUID     = "bt_header_dendrite_uuid"
	HeaderDendriteHotkey   = "bt_header_dendrite_hotkey"
	HeaderDendriteSig      = "bt_header_dendrite_signature"
	HeaderAxonIP           = "bt_header_axon_ip"
	HeaderAxonPort         = "bt_header_axon_port"
	HeaderAxonHotkey       = "bt_header_axon_hotkey"
	HeaderComputedBodyHash = "computed_body_hash"
	HeaderAxonStatusCode   = "bt_header_axon_status_code"
	HeaderAxonStatusMsg    = "bt_header_axon_status_message"
	HeaderAxonProcessTime  = "bt_header_axon_process_time"
)

// Version is the dendrite version we announce (Bittensor's version_as_int of
// 9.0.0); peers at or above 7.2.0 apply the nonce freshness rule.
const Version = 9_000_000

// Dendrite signs outgoing synapse requests with a hotkey. Build one per
// process (its UUID identifies the instance to axons, which track nonces per
// hotkey and UUID).
type Dendrite struct {
	signer keys.Signer
	uuid   string
	now    func() time.Time
	ip     string

	mu        sync.Mutex
	lastNonce int64
}

// NewDendrite returns a Dendrite signing with signer. now may be nil
// (time.Now). ip is the caller's external IP to announce ("" → "0.0.0.0").
func NewDendrite(signer keys.Signer, now func() time.Time, ip string) *Dendrite {
	if now == nil {
		now = time.Now
	}
	if ip == "" {
		ip = "0.0.0.0"
	}
	var u [16]byte
	_, _ = rand.Read(u[:]) // crypto/rand never fails on supported platforms
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	h := hex.EncodeToString(u[:])
	return &Dendrite{
		signer: signer, now: now, ip: ip,
		uuid: h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:],
	}
}

// UUID returns the instance UUID sent with every request.
func (d *Dendrite) UUID() string { return d.uuid }

// Hotkey returns the signing hotkey.
func (d *Dendrite) Hotkey() keys.PublicKey { return d.signer.PublicKey() }

// nextNonce returns the current time in ns, forced strictly above the last
// nonce so two requests in the same clock tick stay ordered.
func (d *Dendrite) nextNonce() int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := d.now().UnixNano()
	if n <= d.lastNonce {
		n = d.lastNonce + 1
	}
	d.lastNonce = n
	return n
}

// Sign sets the signing headers on req for a synapse whose JSON body is body,
// addressed to the axon with hotkey axonHotkey (its address is read from
// req.URL). timeout is announced to the axon (it widens the nonce window).
// The bt_header_input_obj_* headers are not sent: our synapses carry every
// field in the body.
func (d *Dendrite) Sign(req *http.Request, synapse string, body []byte, axonHotkey keys.PublicKey, timeout time.Duration) error {
	bh, err := BodyHash(synapse, body)
	if err != nil {
		return err
	}
	nonce := d.nextNonce()
	hk := d.signer.PublicKey().SS58()
	msg := fmt.Sprintf("%d.%s.%s.%s.%s", nonce, hk, axonHotkey.SS58(), d.uuid, bh)
	sig, err := d.signer.Sign([]byte(msg))
	if err != nil {
		return fmt.Errorf("sign %s request: %w", synapse, err)
	}
	h := req.Header
	h.Set(HeaderName, synapse)
	h.Set(HeaderTimeout, strconv.FormatFloat(timeout.Seconds(), 'f', 1, 64))
	h.Set(HeaderDendriteIP, d.ip)
	h.Set(HeaderDendriteVersion, strconv.Itoa(Version))
	h.Set(HeaderDendriteNonce, strconv.FormatInt(nonce, 10))
	h.Set(HeaderDendriteUUID, d.uuid)
	h.Set(HeaderDendriteHotkey, hk)
	h.Set(HeaderDendriteSig, "0x"+hex.EncodeToString(sig))
	h.Set(HeaderAxonIP, req.URL.Hostname())
	h.Set(HeaderAxonPort, req.URL.Port())
	h.Set(HeaderAxonHotkey, axonHotkey.SS58())
	h.Set(HeaderComputedBodyHash, bh)
	h.Set("Content-Type", "application/json")
	return nil
}
