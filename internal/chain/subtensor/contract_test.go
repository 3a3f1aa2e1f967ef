package subtensor

import (
	"os"
	"strconv"
	"testing"
)

// TestLiveNode runs the read path against a real Subtensor node when
// SUBTENSOR_URL is set (for example wss://test.finney.opentensor.ai:443),
// on SUBTENSOR_NETUID (default 1). It checks that the node's metadata is
// one the client can sign for and that the metagraph decodes.
func TestLiveNode(t *testing.T) {
	url := os.Getenv("SUBTENSOR_URL")
	if url == "" {
		t.Skip("SUBTENSOR_URL not set")
	}
	netuid := uint64(1)
	if s := os.Getenv("SUBTENSOR_NETUID"); s != "" {
		var err error
		if netuid, err = strconv.ParseUint(s, 10, 16); err != nil {
			t.Fatal(err)
		}
	}
	c, err := Dial(t.Context(), Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	n, err := c.BlockNumber(t.Context())
	if err != nil || n == 0 {
		t.Fatalf("BlockNumber = %d, %v", n, err)
	}
	mg, err := c.Metagraph(t.Context(), uint16(netuid))
	if err != nil {
		t.Fatal(err)
	}
	if len(mg.Neurons) == 0 {
		t.Fatalf("netuid %d has no neurons", netuid)
	}
	for i, nrn := range mg.Neurons {
		if int(nrn.UID) != i {
			t.Fatalf("neuron %d has uid %d", i, nrn.UID)
		}
	}
	cr, err := c.CommitRevealEnabled(t.Context(), uint16(netuid))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("block %d, netuid %d: %d neurons, commit-reveal %v", n, netuid, len(mg.Neurons), cr)
}
