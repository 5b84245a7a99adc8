package io.streammeter.metering.keys;

/** A key change that cannot be applied; the message starts with the field it names. */
public final class InvalidKeyChange extends IllegalArgumentException {
    private final String field;

    public InvalidKeyChange(String field, String message) {
        super(field + " " + message);
        this.field = field;
    }

    /** The field at fault, as the admin API names it ({@code budget_usd}, ...). */
    public String field() {
        return field;
    }
}
