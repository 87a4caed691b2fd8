package emails

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
)

// leaf is one non-multipart part of a message, decoded.
type leaf struct {
	mediaType string
	params    map[string]string
	filename  string
	body      string
}

// readMIME parses a whole message with the standard library and returns
// its headers and its leaf parts in order, with the media type of every
// multipart container on the way ("multipart/mixed", ...).
func readMIME(t *testing.T, raw []byte) (mail.Header, []leaf, []string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse message: %v", err)
	}
	var leaves []leaf
	var containers []string
	walkPart(t, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"),
		"", msg.Body, &leaves, &containers)
	return msg.Header, leaves, containers
}

func walkPart(t *testing.T, contentType, encoding, disposition string, body io.Reader, leaves *[]leaf, containers *[]string) {
	t.Helper()
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatalf("Content-Type %q: %v", contentType, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		*containers = append(*containers, mediaType)
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextPart()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatalf("read part of %s: %v", mediaType, err)
			}
			walkPart(t, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"),
				p.Header.Get("Content-Disposition"), p, leaves, containers)
		}
	}

	data, err := io.ReadAll(decodeBody(encoding, body))
	if err != nil {
		t.Fatalf("decode %s part: %v", mediaType, err)
	}
	l := leaf{mediaType: mediaType, params: params, body: string(data)}
	if _, dp, err := mime.ParseMediaType(disposition); err == nil {
		l.filename = dp["filename"]
	}
	*leaves = append(*leaves, l)
}

// find returns the first leaf of the media type.
func find(leaves []leaf, mediaType string) (leaf, bool) {
	for _, l := range leaves {
		if l.mediaType == mediaType {
			return l, true
		}
	}
	return leaf{}, false
}
