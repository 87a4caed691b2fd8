package mongo

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestQuietHandler(t *testing.T) {
	failedInsert := "Response message:\n{\"Document\": {\"ok\": 0.0, " +
		"\"errmsg\": \"E11000 duplicate key dup key: { email: \\\"ann@example.org\\\" }\", " +
		"\"code\": 11000, \"codeName\": \"DuplicateKey\"}}"

	tests := []struct {
		name  string
		level slog.Level
		msg   string
		want  string // "" for nothing logged
	}{
		{"info is dropped", slog.LevelInfo, "Connection started", ""},
		{"warnings pass", slog.LevelWarn, "Connection stopped", `msg="Connection stopped"`},
		{"reply header is dropped", slog.LevelWarn, "Response header: length: 121", ""},
		{"reply body keeps only the code", slog.LevelWarn, failedInsert, `msg="ferretdb command failed" code_name=DuplicateKey`},
		{"the driver's endSessions is dropped", slog.LevelWarn, "Response message: no such command: 'endSessions'", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(quietHandler{inner: slog.NewTextHandler(&buf, nil)})
			log.Log(t.Context(), tt.level, tt.msg)

			got := buf.String()
			if strings.Contains(got, "ann@example.org") {
				t.Fatalf("personal data logged: %s", got)
			}
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Fatalf("logged %q, want %q", got, tt.want)
			}
		})
	}
}
