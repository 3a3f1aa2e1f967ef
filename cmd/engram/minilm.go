package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/subnetkit/subnetkit/internal/engram/embed"
	"github.com/subnetkit/subnetkit/internal/engram/embed/minilm"
)

// newMiniLM loads the pure-Go all-MiniLM-L6-v2 embedder from dir.
func newMiniLM(dir string) (embed.Embedder, error) {
	if dir == "" {
		return nil, errors.New("--embedder minilm needs --model-dir")
	}
	return minilm.Load(dir, minilm.Options{})
}

func newModelCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "model",
		Short: "Manage the all-MiniLM-L6-v2 model directory",
	}
	var dir, base string
	pull := &cobra.Command{
		Use:   "pull",
		Short: "Download all-MiniLM-L6-v2 (config, tokenizer, safetensors weights) into --dir",
		Long: `Download config.json, tokenizer.json and model.safetensors of all-MiniLM-L6-v2
from the sentence-transformers repository (or --base-url) into --dir, then
check that they load. Run it on a machine that can reach the model hub and
copy the directory to miners that cannot; then start miners with
--model-dir DIR.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if dir == "" {
				return errors.New("--dir is required")
			}
			if err := minilm.Pull(cmd.Context(), minilm.PullConfig{BaseURL: base, Dir: dir, Progress: e.stderr}); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "model ready in %s\n", dir)
			return nil
		},
	}
	pull.Flags().StringVar(&dir, "dir", "", "model directory to create")
	pull.Flags().StringVar(&base, "base-url", minilm.DefaultBaseURL, "where the model files are served")
	flagEnv(pull, "dir", "ENGRAM_MODEL_DIR")
	flagEnv(pull, "base-url", "ENGRAM_MODEL_BASE_URL")
	cmd.AddCommand(pull)
	return cmd
}
