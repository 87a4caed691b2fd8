// Package mongo keeps the marketplace's documents in MongoDB, or in
// FerretDB embedded in this process, through the official MongoDB driver.
//
// Store implements app.Store for both engines with one code path. FerretDB
// 1.24 differs from MongoDB in ways the Store absorbs:
//
//   - Only a bare {_id: X} filter reaches its storage; every other filter
//     decodes the whole collection in Go. So records are read by _id one
//     at a time (GetOffers makes one find per id, which beats $in by far),
//     and lists of offers, requests and events come from small listing
//     entries rather than from the documents (see listing.go). Lists of
//     live items (active bookings, waiting entries, pending and failed
//     jobs) keep entries only while the item is live (entries.go), and
//     lists that grow with one owner (an organisation's bookings, an
//     event's sponsorships) are rolls of numbered slots read by _id
//     (roll.go), so no list read scans history.
//   - Guarded updates are not atomic, but unique indexes are. So single-use
//     tokens are spent by inserting their id into used_tokens, emails are
//     unique through a unique index, and so are the invariants of this
//     round: a session's places are claims under a unique (session, place)
//     key (place.go), an email attempt is a lease under a unique
//     (job, attempt) key (outbox.go), and idempotency keys and payment
//     events are _ids.
//   - Its SQLite handler looks documents up by _id with an expression its
//     own _id index does not match. StartEmbedded and EnsureIndexes (with
//     WithEmbedded) add an index that does; see embedded_sqlite.go.
//   - It has no TTL indexes, so SessionStorage sweeps expired web sessions
//     itself.
//
// StartEmbedded runs FerretDB with its SQLite handler on a loopback port,
// and StartEmbeddedPostgres with its PostgreSQL handler. Package mongotest
// gives tests a fresh database on one shared embedded server.
//
// Not-found records are app.ENotFound errors and duplicate ids or emails
// app.EConflict; other errors wrap the driver's. Nothing here logs
// personal data, and FerretDB's own log is filtered so that it cannot.
package mongo
