package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
	publicfiles "github.com/encounters/encounters/public"
)

// assets are the embedded files under public/, each also known by a name
// carrying a hash of its content ("css/app.3f9a1b2c4d.css"), so that
// browsers may keep them for a year and still see every change.
type assets struct {
	content  map[string][]byte // plain name to content
	hashed   map[string]string // plain name to hashed name
	byHashed map[string]string // hashed name to plain name
}

func loadAssets() (*assets, error) {
	a := &assets{
		content:  map[string][]byte{},
		hashed:   map[string]string{},
		byHashed: map[string]string{},
	}

	err := fs.WalkDir(publicfiles.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) == ".go" {
			return err
		}
		b, err := fs.ReadFile(publicfiles.FS, p)
		if err != nil {
			return err
		}

		sum := sha256.Sum256(b)
		ext := path.Ext(p)
		name := strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		a.content[p], a.hashed[p], a.byHashed[name] = b, name, p
		return nil
	})
	return a, err
}

// url returns the address of an asset by its plain name, hashed:
// {{asset "css/app.css"}} gives "/public/css/app.3f9a1b2c4d.css".
func (a *assets) url(name string) string {
	if h, ok := a.hashed[name]; ok {
		return "/public/" + h
	}
	return "/public/" + name
}

// serveAsset answers GET /public/*. Hashed names never change, so they are
// cached for a year; plain names for five minutes.
func (s *Server) serveAsset(c *fiber.Ctx) error {
	name := c.Params("*")
	cache := "public, max-age=31536000, immutable"
	plain, ok := s.assets.byHashed[name]
	if !ok {
		plain, cache = name, "public, max-age=300"
	}

	body, ok := s.assets.content[plain]
	if !ok {
		return s.pageError(c, app.ErrNotFound("The file"))
	}

	c.Type(strings.TrimPrefix(path.Ext(plain), "."))
	c.Set(fiber.HeaderCacheControl, cache)
	return c.Send(body)
}
