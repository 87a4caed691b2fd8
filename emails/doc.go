// Package emails writes, builds and sends the product's email.
//
// Templates (templates/*.txt and *.html, embedded) turn an app.Letter into
// an app.Message: subject and plain text from text/template, HTML from
// html/template, and for bookings an iCalendar invite in Europe/London
// with its VTIMEZONE (github.com/arran4/golang-ical). Templates also
// writes the calendar feeds that Outlook and Google Calendar subscribe to.
//
// Messages are built as MIME with go-mail: a plain-text part first, HTML
// and the invite (text/calendar; method=...) as alternatives, the invite
// again as invite.ics, and List-Unsubscribe for non-essential mail. They
// are sent by one of two senders, both app.Mailer: SMTP in production, or
// a folder of .eml files on a single machine.
//
// Booking and sponsorship emails are not sent where they are written: the
// service queues them in the outbox, and a Worker sends them, leasing
// each attempt, retrying with backoff and setting aside what keeps
// failing, so that several workers can share one outbox.
package emails
