package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/subnetkit/subnetkit/internal/cliflag"
	"github.com/subnetkit/subnetkit/internal/keys"
)

func newKeysCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Create, show and import sr25519 hotkeys in Bittensor wallet files",
		Long: `Manage hotkeys in the wallet layout btcli uses
(<wallet.path>/<wallet.name>/hotkeys/<wallet.hotkey>, plaintext JSON, mode 0600).
Secret phrases and seeds are written only to the wallet file, never printed.`,
	}
	var jsonOut bool
	show := func(w keys.Wallet, kp *keys.Keypair) {
		pub := kp.PublicKey()
		info := map[string]string{"ss58_address": kp.SS58(), "public_key": "0x" + hex.EncodeToString(pub[:]), "file": w.HotkeyPath()}
		if ck, err := w.LoadColdkeyPub(); err == nil {
			info["coldkey"] = ck.SS58()
		}
		if jsonOut {
			b, _ := json.Marshal(info)
			fmt.Fprintln(e.stdout, string(b))
			return
		}
		fmt.Fprintf(e.stdout, "hotkey  %s\npublic  %s\nfile    %s\n", info["ss58_address"], info["public_key"], info["file"])
		if c, ok := info["coldkey"]; ok {
			fmt.Fprintf(e.stdout, "coldkey %s\n", c)
		}
	}
	var wf cliflag.Hotkey
	newCmd := &cobra.Command{
		Use:   "new",
		Short: "Generate a hotkey (12-word phrase) and write it to the wallet",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w, err := wf.Wallet()
			if err != nil {
				return err
			}
			phrase, err := keys.NewMnemonic(rand.Reader)
			if err != nil {
				return err
			}
			kp, err := keys.FromURI(phrase)
			if err != nil {
				return err
			}
			if err := w.WriteHotkey(kp, phrase); err != nil {
				return err
			}
			show(w, kp)
			if !jsonOut {
				fmt.Fprintln(e.stderr, "the secret phrase is in the file above only: back it up")
			}
			return nil
		},
	}
	showCmd := &cobra.Command{
		Use:   "show",
		Short: "Print a wallet hotkey's address and public key",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w, err := wf.Wallet()
			if err != nil {
				return err
			}
			kp, err := w.LoadHotkey()
			if err != nil {
				return err
			}
			show(w, kp)
			return nil
		},
	}
	var mnemonicFile, seedFile string
	importCmd := &cobra.Command{
		Use:   "import",
		Short: "Write a hotkey from a phrase or seed file (or $ENGRAM_MNEMONIC) to the wallet",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w, err := wf.Wallet()
			if err != nil {
				return err
			}
			var kp *keys.Keypair
			var phrase string
			switch {
			case mnemonicFile != "" || (seedFile == "" && e.getenv("ENGRAM_MNEMONIC") != ""):
				phrase = e.getenv("ENGRAM_MNEMONIC")
				if mnemonicFile != "" {
					b, err := os.ReadFile(mnemonicFile)
					if err != nil {
						return err
					}
					phrase = strings.TrimSpace(string(b))
				}
				if kp, err = keys.FromURI(phrase); err != nil {
					return err
				}
			case seedFile != "":
				b, err := os.ReadFile(seedFile)
				if err != nil {
					return err
				}
				s, err := hex.DecodeString(strings.TrimPrefix(strings.TrimSpace(string(b)), "0x"))
				if err != nil || len(s) != 32 {
					return errors.New("--seed-file must hold a 32-byte hex seed")
				}
				if kp, err = keys.FromSeed([32]byte(s)); err != nil {
					return err
				}
			default:
				return errors.New("give --mnemonic-file, --seed-file or $ENGRAM_MNEMONIC")
			}
			if err := w.WriteHotkey(kp, phrase); err != nil {
				return err
			}
			show(w, kp)
			return nil
		},
	}
	importCmd.Flags().StringVar(&mnemonicFile, "mnemonic-file", "", "file holding a BIP-39 phrase")
	importCmd.Flags().StringVar(&seedFile, "seed-file", "", "file holding a 0x-hex 32-byte seed")
	flagEnv(importCmd, "mnemonic-file", "ENGRAM_MNEMONIC_FILE")
	flagEnv(importCmd, "seed-file", "ENGRAM_SEED_FILE")
	for _, c := range []*cobra.Command{newCmd, showCmd, importCmd} {
		wf.RegisterWallet(c, "ENGRAM_")
		c.Flags().BoolVar(&jsonOut, "json", false, "print JSON")
		flagEnv(c, "json", "ENGRAM_KEYS_JSON")
		cmd.AddCommand(c)
	}
	return cmd
}
