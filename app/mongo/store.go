package mongo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
	"go.mongodb.org/mongo-driver/mongo/writeconcern"

	"github.com/encounters/encounters/app"
)

// Engine names, as Store.Name reports them.
const (
	EngineFerretDB = "ferretdb"
	EngineMongoDB  = "mongodb"
)

// Collection names.
const (
	colOrgs        = "orgs"
	colClaims      = "claims"
	colUsers       = "users"
	colTokens      = "tokens"
	colUsedTokens  = "used_tokens"
	colOffers      = "offers"
	colRequests    = "requests"
	colOfferList   = "offer_listing"
	colRequestList = "request_listing"
	colWebSessions = "web_sessions"

	colPlaceClaims    = "place_claims"
	colSessionOffers  = "session_offers"
	colBookings       = "bookings"
	colBookingRolls   = "booking_rolls"
	colBookingSlots   = "booking_slots"
	colRollHeads      = "roll_heads"
	colActiveBookings = "active_bookings"
	colIdempotency    = "idempotency_keys"
	colWaitlist       = "waitlist"
	colWaitingList    = "waitlist_listing"
	colJobs           = "outbox"
	colDueJobs        = "outbox_due"
	colFailedJobs     = "outbox_failed"
	colJobLeases      = "outbox_leases"
	colEvents         = "events"
	colEventList      = "event_listing"
	colSponsorships   = "sponsorships"
	colSponsorRolls   = "sponsorship_rolls"
	colPaymentEvents  = "payment_events"
)

// Page sizes for lists: a zero or negative limit means defaultLimit, and no
// page is longer than maxLimit.
const (
	defaultLimit = 50
	maxLimit     = 500
)

// Store keeps the marketplace's documents in one database of a MongoDB or
// FerretDB server, through the official driver. It implements app.Store and
// is safe for concurrent use.
type Store struct {
	client *mongo.Client
	db     *mongo.Database
	engine string
	emb    *Embedded // nil unless opened WithEmbedded
	log    *slog.Logger
	now    func() time.Time

	// releases serialises ReleasePlace's read and delete of one claim on
	// FerretDB, which has no atomic guarded delete; see ReleasePlace.
	releases [64]sync.Mutex
}

var _ app.Store = (*Store)(nil)

// Option changes how Open sets up a Store.
type Option func(*Store)

// WithLogger sets where the store logs the little it logs (failed session
// sweeps). The default discards.
func WithLogger(log *slog.Logger) Option {
	return func(s *Store) { s.log = loggerOrDiscard(log) }
}

// WithEmbedded says that the store talks to e, a FerretDB running in this
// process, so that EnsureIndexes can add the _id lookup indexes its SQLite
// handler lacks (see Embedded.IndexIDLookups). A nil e, as when the store
// talks to MongoDB, changes nothing.
func WithEmbedded(e *Embedded) Option {
	return func(s *Store) { s.emb = e }
}

// WithClock sets the store's clock, which stamps used tokens and decides
// when web sessions expire; tests fix it. The default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Store) { s.now = now }
}

// Open connects to the server at uri and uses the database dbName. Writes
// wait for a majority of a replica set unless uri sets w itself; FerretDB
// ignores write concerns. Open fails when the server does not answer
// within ctx.
func Open(ctx context.Context, uri, dbName string, opts ...Option) (*Store, error) {
	co := options.Client().ApplyURI(uri).SetAppName("encounters")
	if co.WriteConcern == nil {
		co.SetWriteConcern(writeconcern.Majority())
	}
	if co.ServerSelectionTimeout == nil {
		co.SetServerSelectionTimeout(10 * time.Second)
	}

	client, err := mongo.Connect(ctx, co)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}

	s := &Store{client: client, db: client.Database(dbName), log: loggerOrDiscard(nil), now: time.Now}
	for _, o := range opts {
		o(s)
	}
	if s.engine, err = s.detectEngine(ctx); err != nil {
		_ = client.Disconnect(context.Background()) // the detect error says more
		return nil, fmt.Errorf("open database: %w", err)
	}
	return s, nil
}

// detectEngine asks the server who it is: FerretDB adds its own version to
// the buildInfo reply.
func (s *Store) detectEngine(ctx context.Context) (string, error) {
	raw, err := s.db.RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Raw()
	if err != nil {
		return "", fmt.Errorf("build info: %w", err)
	}

	if _, err := raw.LookupErr("ferretdbVersion"); err == nil {
		return EngineFerretDB, nil
	}
	return EngineMongoDB, nil
}

// Name says which engine answers: EngineFerretDB or EngineMongoDB.
func (s *Store) Name() string { return s.engine }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Err(); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// Close disconnects from the server.
func (s *Store) Close(ctx context.Context) error {
	if err := s.client.Disconnect(ctx); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}

func (s *Store) c(name string) *mongo.Collection { return s.db.Collection(name) }

// byID is the one filter FerretDB passes to its storage rather than
// applying in Go; with the SQLite lookup index it is an index search.
func byID(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }

// newestFirst orders lists by creation, ties broken by id so pages are
// stable.
var newestFirst = bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}

// getByID reads one document, or fails with ENotFound naming what.
func getByID[T any](ctx context.Context, c *mongo.Collection, id, what string) (*T, error) {
	var v T
	err := c.FindOne(ctx, byID(id)).Decode(&v)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return nil, app.ErrNotFound(what)
	case err != nil:
		return nil, fmt.Errorf("get %s %s: %w", what, id, err)
	}
	return &v, nil
}

// getMany reads documents by id, one find by _id each, and leaves missing
// ids out. FerretDB turns {_id: X} into an SQL lookup but scans the whole
// collection for {_id: {$in: [...]}}, so this is the fast way there; the
// benchmarks in this package compare the two.
func getMany[T any](ctx context.Context, c *mongo.Collection, ids []string, what string) (map[string]*T, error) {
	out := make(map[string]*T, len(ids))
	for _, id := range ids {
		if _, done := out[id]; done {
			continue
		}

		v, err := getByID[T](ctx, c, id, what)
		if app.ErrorCode(err) == app.ENotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = v
	}
	return out, nil
}

// isDuplicate reports whether err is a unique index violation. MongoDB and
// FerretDB's inserts say so with code 11000, but FerretDB 1.24 reports an
// update that breaks a unique index as an InternalError carrying the SQL
// engine's message, so that is recognised too.
func isDuplicate(err error) bool {
	if err == nil {
		return false
	}
	if mongo.IsDuplicateKeyError(err) {
		return true
	}

	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || // SQLite
		strings.Contains(msg, "duplicate key value violates unique constraint") // PostgreSQL
}

// insert adds a new document; an existing id or unique key is EConflict.
func insert(ctx context.Context, c *mongo.Collection, id string, doc any, what string) error {
	if id == "" {
		return fmt.Errorf("create %s: empty id", what)
	}

	_, err := c.InsertOne(ctx, doc)
	if isDuplicate(err) {
		return app.Errorf(app.EConflict, "This %s already exists.", what)
	}
	if err != nil {
		return fmt.Errorf("create %s %s: %w", what, id, err)
	}
	return nil
}

// replace writes a document whole; a missing id is ENotFound and a taken
// unique key EConflict.
func replace(ctx context.Context, c *mongo.Collection, id string, doc any, what string) error {
	res, err := c.ReplaceOne(ctx, byID(id), doc)
	switch {
	case isDuplicate(err):
		return app.Errorf(app.EConflict, "Another %s already has these details.", what)
	case err != nil:
		return fmt.Errorf("update %s %s: %w", what, id, err)
	case res.MatchedCount == 0:
		return app.ErrNotFound(what)
	}
	return nil
}

// findPage returns one page of the documents matching filter, in order,
// and how many match in all.
func findPage[T any](ctx context.Context, c *mongo.Collection, filter, order bson.D,
	offset, limit int) ([]*T, int, error) {
	skip, lim := pageBounds(offset, limit)

	total, err := c.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, fmt.Errorf("count %s: %w", c.Name(), err)
	}
	if skip >= total {
		return []*T{}, int(total), nil
	}

	opts := options.Find().SetSort(order).SetSkip(skip).SetLimit(lim)
	out, err := findAll[T](ctx, c, filter, opts)
	if err != nil {
		return nil, 0, err
	}
	return out, int(total), nil
}

// findAll decodes every document a find returns.
func findAll[T any](ctx context.Context, c *mongo.Collection, filter bson.D,
	opts *options.FindOptions) ([]*T, error) {
	cur, err := c.Find(ctx, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", c.Name(), err)
	}

	out := []*T{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("read %s: %w", c.Name(), err)
	}
	return out, nil
}

// pageBounds turns an offset and limit from a caller into a skip and limit
// the database takes.
func pageBounds(offset, limit int) (skip, lim int64) {
	if offset < 0 {
		offset = 0
	}
	if limit <= 0 {
		limit = defaultLimit
	}
	return int64(offset), int64(min(limit, maxLimit))
}

// putDoc writes a small document whole by id, creating it when missing.
func putDoc(ctx context.Context, c *mongo.Collection, id string, doc any) error {
	opts := options.Replace().SetUpsert(true)
	_, err := c.ReplaceOne(ctx, byID(id), doc, opts)
	if isDuplicate(err) { // a concurrent upsert created it first
		_, err = c.ReplaceOne(ctx, byID(id), doc, opts)
	}
	if err != nil {
		return fmt.Errorf("put %s %s: %w", c.Name(), id, err)
	}
	return nil
}

// addDoc inserts a small document unless its id exists, which it leaves
// as it is.
func addDoc(ctx context.Context, c *mongo.Collection, id string, doc any) error {
	if id == "" {
		return fmt.Errorf("add to %s: empty id", c.Name())
	}
	if _, err := c.InsertOne(ctx, doc); err != nil && !isDuplicate(err) {
		return fmt.Errorf("add %s %s: %w", c.Name(), id, err)
	}
	return nil
}

// deleteID deletes the document with the id, if there is one.
func deleteID(ctx context.Context, c *mongo.Collection, id string) error {
	if _, err := c.DeleteOne(ctx, byID(id)); err != nil {
		return fmt.Errorf("delete %s %s: %w", c.Name(), id, err)
	}
	return nil
}
