// Package emails builds and sends the product's email. Messages are built
// as MIME with go-mail (a plain-text part first, HTML as the alternative),
// and sent by one of two senders: SMTP in production, or a folder of .eml
// files on a single machine. Both implement app.Mailer.
package emails
