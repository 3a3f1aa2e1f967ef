package main

import (
	"errors"
	"log/slog"
	"testing"

	"github.com/subnetkit/subnetkit/internal/chain/devchain"
	"github.com/subnetkit/subnetkit/internal/keys"
)

func TestPermitGate(t *testing.T) {
	dc, _ := devchain.New(devchain.Config{})
	dc.CreateSubnet(58, devchain.SubnetParams{})
	val, _ := keys.FromURI("//Alice")
	other, _ := keys.FromURI("//Eve")
	dc.Register(58, val.PublicKey(), val.PublicKey())
	dc.AddStake(58, val.PublicKey(), 1e12)
	dc.Register(58, other.PublicKey(), other.PublicKey())
	dc.Commit()
	g := newPermitGate(dc.Client(val), 58, slog.New(slog.DiscardHandler))
	if err := g.allowed(val.PublicKey()); !errors.Is(err, errMetagraphUnknown) {
		t.Fatalf("before the first refresh: %v", err)
	}
	if err := g.refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := g.allowed(val.PublicKey()); err != nil {
		t.Errorf("staked validator refused: %v", err)
	}
	if err := g.allowed(other.PublicKey()); !errors.Is(err, errNoPermit) {
		t.Errorf("neuron without a permit: %v, want errNoPermit", err)
	}
	stranger, _ := keys.FromURI("//Stranger")
	if err := g.allowed(stranger.PublicKey()); !errors.Is(err, errNoPermit) {
		t.Errorf("hotkey not on the subnet: %v, want errNoPermit", err)
	}
}
