package meili_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/encounters/encounters/search"
	"github.com/encounters/encounters/search/meili"
	"github.com/encounters/encounters/search/searchtest"
)

// TestContract runs the shared search contract against a real Meilisearch
// server, one fresh index per scenario, when MEILISEARCH_URL names one.
func TestContract(t *testing.T) {
	url := os.Getenv("MEILISEARCH_URL")
	if url == "" {
		t.Skip("no Meilisearch server is available here: set MEILISEARCH_URL " +
			"(and MEILISEARCH_KEY if it needs one) to run the contract against it")
	}
	key := os.Getenv("MEILISEARCH_KEY")

	searchtest.Run(t, func(t *testing.T) search.Index {
		idx, err := meili.New(url, key, "encounters_test_"+randomHex(t))
		if err != nil {
			t.Fatalf("new: %v", err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := idx.Drop(ctx); err != nil {
				t.Errorf("drop: %v", err)
			}
			if err := idx.Close(); err != nil {
				t.Errorf("close: %v", err)
			}
		})
		return idx
	})
}

func randomHex(t *testing.T) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
