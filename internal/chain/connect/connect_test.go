package connect

import "testing"

func TestSubtensorURL(t *testing.T) {
	for in, want := range map[string]string{
		"finney":                        "wss://entrypoint-finney.opentensor.ai:443",
		"test":                          "wss://test.finney.opentensor.ai:443",
		"local":                         "ws://127.0.0.1:9944",
		"wss://node.example:443":        "wss://node.example:443",
		"subtensor+https://rpc.example": "https://rpc.example",
		"http://127.0.0.1:9944":         "",
	} {
		if got := SubtensorURL(in); got != want {
			t.Errorf("SubtensorURL(%q) = %q, want %q", in, got, want)
		}
	}
}
