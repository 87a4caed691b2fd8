package emails

import (
	"context"
	"strconv"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	driver "go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/encounters/encounters/app/mongo"
	"github.com/encounters/encounters/app/mongo/mongotest"
)

// newOutboxWithDB is newOutbox on a database the test can also reach
// with the driver, to leave behind what only a crash leaves.
func newOutboxWithDB(t *testing.T) (*outbox, *driver.Database) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	emb := mongotest.Server(t, mongo.HandlerSQLite)
	name := mongotest.DBName(t)

	store, err := mongo.Open(ctx, emb.URI(), name, mongo.WithEmbedded(emb))
	if err != nil {
		t.Fatal(err)
	}
	client, err := driver.Connect(ctx, options.Client().ApplyURI(emb.URI()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = store.Close(ctx)
		_ = client.Database(name).Drop(ctx)
		_ = client.Disconnect(ctx)
	})
	if err := store.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}

	o := newOutbox(t)
	o.store = store
	return o, client.Database(name)
}

// leaseWithoutRecord plays a worker that died between inserting its
// lease on attempt n and recording it on the job: it writes the lease
// document as app/mongo's LeaseJob does (collection outbox_leases, _id
// "JOB/N") and nothing else. The store's API cannot be made to leave this
// state on purpose, so the test writes it with the driver.
func leaseWithoutRecord(t *testing.T, db *driver.Database, jobID string, n int) {
	t.Helper()
	lease := bson.D{
		{Key: "_id", Value: jobID + "/" + strconv.Itoa(n)}, {Key: "job_id", Value: jobID},
		{Key: "attempt", Value: n}, {Key: "worker", Value: "gone"},
		{Key: "until", Value: t0.Add(time.Minute)}, {Key: "created_at", Value: t0},
	}
	if _, err := db.Collection("outbox_leases").InsertOne(context.Background(), lease); err != nil {
		t.Fatalf("insert lease: %v", err)
	}
}
