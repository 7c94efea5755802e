package charter.cli;

/** `--format text|json`. */
public enum OutputFormat {
    text, json
}
