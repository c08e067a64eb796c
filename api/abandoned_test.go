package api

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
	"github.com/weaklink/weaklink/internal/store"
)

// A request whose client has left is a client-closed request (499), never an outage,
// whichever way its failure says the database could not be used: a raw store error,
// or one the register already turned into CodeUnavailable.
func TestUnavailableAfterTheClientLeftIsNotAnOutage(t *testing.T) {
	gin.SetMode(gin.TestMode)
	for _, err := range []error{
		fmt.Errorf("risk page: %w: read tcp: i/o timeout", store.ErrUnavailable),
		fmt.Errorf("weak links: %w", register.Errorf(register.CodeUnavailable, "The database cannot be reached at the moment.")),
	} {
		gone, cancel := context.WithCancel(context.Background())
		cancel()
		rec := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(rec)
		c.Request = httptest.NewRequest("GET", "/api/v1/weak-links", nil).WithContext(gone)
		var logs bytes.Buffer
		writeError(c, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), err)
		if _, outage := c.Get(ctxUnavailable); outage || c.Writer.Status() != statusClientClosed {
			t.Errorf("%v: status %d, reported as an outage: %v", err, c.Writer.Status(), outage)
		}
		if strings.Contains(logs.String(), "level=ERROR") {
			t.Errorf("%v: logged at ERROR:\n%s", err, logs.String())
		}
	}
}
