package mongo

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
)

// quietHandler passes on FerretDB's warnings and errors only. FerretDB
// logs the whole reply to a failed command in two lines, a header and a
// body; the body can carry field values from stored documents (an email in
// a duplicate key message, say). So the header is dropped and the body
// becomes one line naming only the error code. The driver's endSessions,
// which FerretDB does not know, fails at every disconnect and is dropped.
type quietHandler struct {
	inner slog.Handler
}

var (
	codeNamePattern    = regexp.MustCompile(`"codeName": "(\w+)"`)
	unknownEndSessions = "no such command: 'endSessions'"
)

// Enabled is true from warning level up, where the inner handler agrees.
func (h quietHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= slog.LevelWarn && h.inner.Enabled(ctx, level)
}

// Handle passes a record on, reducing or dropping FerretDB's replies.
func (h quietHandler) Handle(ctx context.Context, r slog.Record) error {
	switch {
	case !strings.HasPrefix(r.Message, "Response "):
		return h.inner.Handle(ctx, r)
	case strings.HasPrefix(r.Message, "Response header"),
		strings.Contains(r.Message, unknownEndSessions):
		return nil
	}

	out := slog.NewRecord(r.Time, r.Level, "ferretdb command failed", r.PC)
	if m := codeNamePattern.FindStringSubmatch(r.Message); m != nil {
		out.AddAttrs(slog.String("code_name", m[1]))
	}
	return h.inner.Handle(ctx, out)
}

// WithAttrs keeps the filter on a handler with more attributes.
func (h quietHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return quietHandler{inner: h.inner.WithAttrs(attrs)}
}

// WithGroup keeps the filter on a handler with a group.
func (h quietHandler) WithGroup(name string) slog.Handler {
	return quietHandler{inner: h.inner.WithGroup(name)}
}

func loggerOrDiscard(log *slog.Logger) *slog.Logger {
	if log != nil {
		return log
	}
	return slog.New(slog.DiscardHandler)
}
