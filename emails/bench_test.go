package emails

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/mongo/mongotest"
	"github.com/encounters/encounters/emails/smtptest"
)

// BenchmarkOutboxDelivery measures how fast the worker empties the outbox
// into a local SMTP server: embedded FerretDB (SQLite) for the outbox, a
// real SMTP session per message. One op is one email, from due job to
// message accepted by the relay and the job recorded as sent.
func BenchmarkOutboxDelivery(b *testing.B) {
	for _, parallel := range []int{1, 4, 8} {
		b.Run(fmt.Sprintf("parallel=%d", parallel), func(b *testing.B) {
			store := mongotest.NewStore(b)
			relay := smtptest.Start(b)
			sender, err := NewSMTP(relay.URL(), from, nil)
			if err != nil {
				b.Fatal(err)
			}
			m, err := mustTemplates(b).Compose(letterFor("booking_confirmed"))
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			now := time.Now()
			for i := range b.N {
				j := &app.Job{ID: fmt.Sprintf("bench/%d", i), Message: m, State: app.JobPending, NotBefore: now, CreatedAt: now}
				if _, err := store.AddJob(ctx, j); err != nil {
					b.Fatal(err)
				}
			}
			w := &Worker{Store: store, Send: sender, ID: "bench", Parallel: parallel, Batch: 50}

			b.ResetTimer()
			start, sent := time.Now(), 0
			for sent < b.N {
				n, err := w.RunOnce(ctx)
				if err != nil {
					b.Fatal(err)
				}
				sent += n
			}
			b.ReportMetric(float64(sent)/time.Since(start).Seconds(), "jobs/s")
			if got := len(relay.Messages()); got != b.N {
				b.Fatalf("%d messages arrived, want %d", got, b.N)
			}
		})
	}
}
