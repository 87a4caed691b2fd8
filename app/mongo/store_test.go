package mongo_test

import (
	"context"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo"
)

func TestStoreBasics(t *testing.T) {
	eachHandler(t, func(t *testing.T, s *mongo.Store) {
		ctx := ctxOf(t)
		tests := []struct {
			name string
			run  func() error
		}{
			{"ping", func() error { return s.Ping(ctx) }},
			{"ensure indexes a second time", func() error { return s.EnsureIndexes(ctx) }},
			{"ensure indexes a third time", func() error { return s.EnsureIndexes(ctx) }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) { mustOK(t, tt.run()) })
		}

		if s.Name() != mongo.EngineFerretDB {
			t.Errorf("Name() = %q, want %q", s.Name(), mongo.EngineFerretDB)
		}
		mustOK(t, s.CreateUser(ctx, newUser("usr_1", "one@example.org", "emp_1", 1)))
		wantCode(t, s.CreateUser(ctx, newUser("usr_2", "ONE@example.org", "emp_1", 1)), app.EConflict)
	})
}

func TestOpenFails(t *testing.T) {
	tests := []struct {
		name string
		uri  string
	}{
		{"not a MongoDB URI", "http://127.0.0.1:27017/"},
		{"nobody listening", "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(ctxOf(t), 5*time.Second)
			defer cancel()
			s, err := mongo.Open(ctx, tt.uri, "nowhere")
			if err == nil {
				s.Close(ctx)
				t.Fatal("Open succeeded, want an error")
			}
		})
	}
}
