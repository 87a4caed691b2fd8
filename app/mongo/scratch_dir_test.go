package mongo_test

import (
	"context"
	"testing"
	"time"

	"github.com/encounters/encounters/app/mongo"
)

func TestScratchDir(t *testing.T) {
	ctx := context.Background()
	emb, err := mongo.StartEmbedded(ctx, "/tmp/s/fdb", nil)
	mustOK(t, err)
	defer emb.Close()
	s, err := mongo.Open(ctx, emb.URI(), "scratch")
	mustOK(t, err)
	defer s.Close(ctx)
	start := time.Now()
	for i := range 100 {
		_, err := s.GetOffer(ctx, offerID(i*7919%2000))
		mustOK(t, err)
	}
	t.Logf("GetOffer: %v each", time.Since(start)/100)
	start = time.Now()
	for i := range 100 {
		_, err := s.GetOffer(ctx, "missing"+offerID(i))
		wantCode(t, err, "not_found")
	}
	t.Logf("GetOffer missing: %v each", time.Since(start)/100)
}
