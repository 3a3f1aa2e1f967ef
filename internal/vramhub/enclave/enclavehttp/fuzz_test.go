package enclavehttp

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzProcessData sends arbitrary bodies to POST /process_data: no panic,
// and every answer is a success or a client error, never a 500.
func FuzzProcessData(f *testing.F) {
	fx := newFixture(f)
	s := fx.server(f, ServerConfig{MaxBodyBytes: 1 << 20})
	f.Add(mustJSON(f, fx.request(f, 1, 2)))
	f.Add([]byte(`{"network_id":"n","peer_gradients":{"1":"AAAA"},"apply_scale":1}`))
	f.Add([]byte(`{"current_ratings":{"1":[1e308,1e308]}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/process_data", bytes.NewReader(body)))
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		default:
			t.Fatalf("POST /process_data = %d %s", rec.Code, rec.Body)
		}
	})
}
