package stripetest

import (
	"net/http"
	"testing"
)

func answers(url string) bool {
	resp, err := http.Get(url + "/v1/balance")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusOK
}

func TestStartShared(t *testing.T) {
	first, second := Start(t), Start(t)
	if !shareServer {
		t.Skip("each test has its own server on this system")
	}
	if first != second || !answers(first) {
		t.Fatalf("Start gave %s then %s; want one shared server that answers", first, second)
	}
}

func TestStartOwn(t *testing.T) {
	var url string
	t.Run("while the test runs", func(t *testing.T) {
		url = startOwn(t)
		if !answers(url) {
			t.Fatalf("stripe-mock at %s does not answer", url)
		}
	})
	if answers(url) {
		t.Fatalf("stripe-mock at %s still answers after its test ended", url)
	}
}
