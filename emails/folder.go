package emails

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/encounters/encounters/app"
)

// Folder is the embedded default sender: each message becomes one .eml file
// in Dir, which any mail program opens, and one log line with its kind and
// file name (never the recipient).
type Folder struct {
	Dir  string
	From string
	Log  *slog.Logger
}

// NewFolder returns a Folder sender, creating dir when missing.
func NewFolder(dir, from string, log *slog.Logger) (*Folder, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create mail folder: %w", err)
	}
	return &Folder{Dir: dir, From: from, Log: log}, nil
}

// Send writes m to a new .eml file. The file appears whole or not at all:
// it is written under a temporary name and renamed.
func (f *Folder) Send(ctx context.Context, m app.Message) error {
	msg, err := build(ctx, f.From, m)
	if err != nil {
		return err
	}
	stamp := time.Now().UTC().Format("20060102T150405.000000000")
	name := fmt.Sprintf("%s-%s-%s.eml", stamp, m.Kind, app.NewSecret()[:8])
	tmp, err := os.CreateTemp(f.Dir, ".writing-*")
	if err != nil {
		return fmt.Errorf("write %s email: %w", m.Kind, err)
	}
	defer os.Remove(tmp.Name())

	if _, err := msg.WriteTo(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s email: %w", m.Kind, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s email: %w", m.Kind, err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(f.Dir, name)); err != nil {
		return fmt.Errorf("write %s email: %w", m.Kind, err)
	}
	if f.Log != nil && JobID(ctx) == "" { // the outbox worker logs its own sends
		f.Log.InfoContext(ctx, "email written", slog.String("kind", m.Kind), slog.String("file", name))
	}
	return nil
}

// Name is the sender's name for /healthz.
func (f *Folder) Name() string { return "eml-folder" }

// Ping reports whether the folder can be written.
func (f *Folder) Ping(ctx context.Context) error {
	probe, err := os.CreateTemp(f.Dir, ".ping-*")
	if err != nil {
		return fmt.Errorf("mail folder not writable: %w", err)
	}
	probe.Close()
	return os.Remove(probe.Name())
}
