package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"
)

// supplierRow is every column of the suppliers table, as SELECT * returns it.
type supplierRow struct {
	ID                      string     `json:"id"`
	Name                    string     `json:"name"`
	NameKey                 string     `json:"-"`
	Criticality             string     `json:"criticality"`
	Status                  string     `json:"status"`
	Country                 *string    `json:"country"`
	Services                string     `json:"services"`
	Website                 string     `json:"website"`
	SecurityContact         string     `json:"security_contact"`
	BreachNotificationHours *int       `json:"breach_notification_hours"`
	ContractStart           *string    `json:"contract_start"`
	ContractEnd             *string    `json:"contract_end"`
	DpaSignedAt             *string    `json:"dpa_signed_at"`
	Certifications          string     `json:"certifications"`
	Notes                   string     `json:"notes"`
	ArchivedAt              *time.Time `json:"archived_at"`
	Version                 int        `json:"version"`
	CreatedAt               time.Time  `json:"created_at"`
	UpdatedAt               time.Time  `json:"updated_at"`
}

// runCeilings serves the two ceilings a request is measured against, on one
// loopback address, until interrupted:
//
//	GET /bare           a bare gin handler answering a small JSON
//	GET /suppliers/:id  gin + gorm: SELECT * FROM suppliers WHERE id = ?, as JSON
//
// Both use gin.New() (no logger, no recovery): the least a gin service can do.
func runCeilings(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("ceilings", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "loopback listen address")
	var d dbFlags
	d.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := loopbackOnly(*addr); err != nil {
		return err
	}
	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	ids, err := liveSupplierIDs(ctx, db)
	if err != nil {
		return err
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/bare", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"status": "ok", "service": "ceiling"})
	})
	r.GET("/suppliers/:id", func(c *gin.Context) {
		var row supplierRow
		res := db.WithContext(c.Request.Context()).Raw("SELECT * FROM suppliers WHERE id = ?", c.Param("id")).Scan(&row)
		switch {
		case res.Error != nil:
			c.JSON(http.StatusInternalServerError, gin.H{"error": "query failed"})
		case res.RowsAffected == 0:
			c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
		default:
			c.JSON(http.StatusOK, &row)
		}
	})
	r.GET("/readyz", func(c *gin.Context) { c.Status(http.StatusOK) })
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(os.Stderr, "ceilings listening on %s (%d suppliers)\n", ln.Addr(), len(ids))
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loopbackOnly refuses an address whose host is not a loopback address: the harness
// sends traffic to this machine only.
func loopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%s is not a loopback address", addr)
}

// runPort prints a free loopback port.
func runPort(context.Context, []string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	fmt.Println(ln.Addr().(*net.TCPAddr).Port)
	return nil
}
