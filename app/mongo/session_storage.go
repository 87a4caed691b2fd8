package mongo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// Session storage timings: how long one call may take, and how often
// expired entries are swept away.
const (
	sessionOpTimeout   = 10 * time.Second
	sessionSweepPeriod = 10 * time.Minute
)

// webSession is one stored entry. Its _id is the SHA-256 of the key, so
// that reading the collection does not reveal live session ids. ExpiresAt
// is absent for entries that never expire.
type webSession struct {
	ID        string    `bson:"_id"`
	Value     []byte    `bson:"value"`
	ExpiresAt time.Time `bson:"expires_at,omitempty"`
}

// SessionStorage keeps Fiber's server-side sessions and CSRF tokens in the
// web_sessions collection, so that any number of app instances share them.
// It has the methods of fiber.Storage. Expired entries are never returned;
// a sweep deletes them every ten minutes, because FerretDB has no TTL
// indexes (on MongoDB a TTL index does it too). Close stops the sweep and
// leaves the Store open.
type SessionStorage struct {
	store *Store
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once
}

// NewSessionStorage returns session storage in db and starts its sweep.
func NewSessionStorage(db *Store) *SessionStorage {
	ss := &SessionStorage{store: db, stop: make(chan struct{}), done: make(chan struct{})}
	go ss.sweepLoop()
	return ss
}

func (ss *SessionStorage) sweepLoop() {
	defer close(ss.done)
	tick := time.NewTicker(sessionSweepPeriod)
	defer tick.Stop()

	for {
		select {
		case <-ss.stop:
			return
		case <-tick.C:
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			n, err := ss.Sweep(ctx)
			cancel()
			if err != nil {
				ss.store.log.Warn("sweep web sessions", slog.Any("error", err))
			} else if n > 0 {
				ss.store.log.Debug("swept web sessions", slog.Int("count", n))
			}
		}
	}
}

func (ss *SessionStorage) coll() *mongo.Collection { return ss.store.c(colWebSessions) }

func sessionID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// Get returns the value stored under key, or nil and no error when there
// is none or it has expired.
func (ss *SessionStorage) Get(key string) ([]byte, error) {
	if key == "" {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), sessionOpTimeout)
	defer cancel()

	var ws webSession
	err := ss.coll().FindOne(ctx, byID(sessionID(key))).Decode(&ws)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("get web session: %w", err)
	}

	if !ws.ExpiresAt.IsZero() && !ss.store.now().Before(ws.ExpiresAt) {
		return nil, nil
	}
	return ws.Value, nil
}

// Set stores val under key for exp, or for ever when exp is 0. An empty
// key or value is ignored.
func (ss *SessionStorage) Set(key string, val []byte, exp time.Duration) error {
	if key == "" || len(val) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), sessionOpTimeout)
	defer cancel()

	ws := webSession{ID: sessionID(key), Value: val}
	if exp > 0 {
		ws.ExpiresAt = ss.store.now().Add(exp).UTC()
	}

	opts := options.Replace().SetUpsert(true)
	_, err := ss.coll().ReplaceOne(ctx, byID(ws.ID), ws, opts)
	if isDuplicate(err) {
		// A concurrent Set created the entry first; replace it now.
		_, err = ss.coll().ReplaceOne(ctx, byID(ws.ID), ws, opts)
	}
	if err != nil {
		return fmt.Errorf("set web session: %w", err)
	}
	return nil
}

// Delete removes the value under key; a missing key is not an error.
func (ss *SessionStorage) Delete(key string) error {
	if key == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), sessionOpTimeout)
	defer cancel()

	if _, err := ss.coll().DeleteOne(ctx, byID(sessionID(key))); err != nil {
		return fmt.Errorf("delete web session: %w", err)
	}
	return nil
}

// Reset removes every stored session and CSRF token.
func (ss *SessionStorage) Reset() error {
	ctx, cancel := context.WithTimeout(context.Background(), sessionOpTimeout)
	defer cancel()

	if _, err := ss.coll().DeleteMany(ctx, bson.D{}); err != nil {
		return fmt.Errorf("reset web sessions: %w", err)
	}
	return nil
}

// Close stops the sweep. It does not close the Store, which others share.
func (ss *SessionStorage) Close() error {
	ss.once.Do(func() {
		close(ss.stop)
		<-ss.done
	})
	return nil
}

// Sweep deletes every expired entry and says how many went.
func (ss *SessionStorage) Sweep(ctx context.Context) (int, error) {
	filter := bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lte", Value: ss.store.now().UTC()}}}}
	res, err := ss.coll().DeleteMany(ctx, filter)
	if err != nil {
		return 0, fmt.Errorf("sweep web sessions: %w", err)
	}
	return int(res.DeletedCount), nil
}
