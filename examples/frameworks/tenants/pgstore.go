package main

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// schema creates the tenants table and the trigger that notifies
// changesChannel.
//
//go:embed schema.sql
var schema string

// changesChannel is the channel schema.sql's trigger notifies.
const changesChannel = "tenants_changed"

// pgStore reads tenants' origins from PostgreSQL and listens for their
// changes.
type pgStore struct {
	pool *pgxpool.Pool
	// retry is how long Listen waits before it reconnects.
	retry time.Duration
}

func newPGStore(pool *pgxpool.Pool) *pgStore {
	return &pgStore{pool: pool, retry: time.Second}
}

// TenantOrigins reads the whole table: the snapshot is replaced whole.
func (s *pgStore) TenantOrigins(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, "SELECT origin FROM tenants")
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// Listen signals changed whenever the tenants table changes, until ctx
// ends. It holds one connection of its own, outside the pool, since a
// LISTEN belongs to its session; when that connection fails it logs once
// and reconnects after s.retry.
func (s *pgStore) Listen(ctx context.Context, changed chan<- struct{}, logf func(format string, args ...any)) {
	for {
		err := s.listen(ctx, changed)
		if ctx.Err() != nil {
			return
		}
		logf("listening for tenant changes: %v; reconnecting in %v", err, s.retry)
		select {
		case <-ctx.Done():
			return
		case <-time.After(s.retry):
		}
	}
}

func (s *pgStore) listen(ctx context.Context, changed chan<- struct{}) error {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(closeCtx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+changesChannel); err != nil {
		return err
	}
	// Changes made while no one listened were announced to no one.
	signal(changed)
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		signal(changed)
	}
}

// execer is what migrate needs of a pool or a connection.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// migrate applies schema.sql. With no arguments pgx sends it as one simple
// query, so its several statements run in one round trip.
func migrate(ctx context.Context, db execer) error {
	if _, err := db.Exec(ctx, schema); err != nil {
		return fmt.Errorf("applying schema.sql: %w", err)
	}
	return nil
}

var _ Store = (*pgStore)(nil)
