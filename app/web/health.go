package web

import (
	"context"

	"github.com/gofiber/fiber/v2"
)

// EngineHealth is one engine in the health report: which engine serves a
// concern and whether it answers.
type EngineHealth struct {
	Engine string `json:"engine"`
	Up     bool   `json:"up"`
}

// HealthReport maps each concern ("documents", "search", "mail") to its
// engine's health.
type HealthReport map[string]EngineHealth

// showHealth answers GET /healthz with
// {"status": "ok"|"degraded", "engines": {"documents": {"engine", "up"}, ...}}
// and 503 when any engine is down.
func (s *Server) showHealth(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	report := s.health(ctx)

	status, code := "ok", fiber.StatusOK
	for _, e := range report {
		if !e.Up {
			status, code = "degraded", fiber.StatusServiceUnavailable
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(code).JSON(fiber.Map{"status": status, "engines": report})
}

func (s *Server) health(ctx context.Context) HealthReport {
	if s.cfg.Health != nil {
		return s.cfg.Health(ctx)
	}
	return HealthReport{"documents": {Engine: "mongodb", Up: s.svc.Store.Ping(ctx) == nil}}
}
