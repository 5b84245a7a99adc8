package io.streammeter.relay.shape.anthropic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.streammeter.relay.shape.InvalidRequestException;
import io.streammeter.relay.shape.PromptText;
import io.streammeter.relay.shape.RequestFacts;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Reads an Anthropic messages request in one streaming pass: {@code model}, {@code messages},
 * {@code stream}, {@code system} and {@code metadata.user_id}. The body goes upstream as the client
 * sent it: Anthropic streams always carry usage, so there is nothing to ask for.
 */
final class AnthropicRequest {
    private String model;
    private String user;
    private boolean stream;
    private boolean hasMessages;
    private long promptChars;

    private AnthropicRequest() {}

    static RequestFacts read(JsonFactory json, byte[] body) throws InvalidRequestException {
        return new AnthropicRequest().parse(json, body);
    }

    private RequestFacts parse(JsonFactory json, byte[] body) throws InvalidRequestException {
        try (JsonParser p = json.createParser(body)) {
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidRequestException("The request body must be a JSON object.", null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                field(p, name, p.nextToken());
            }
            if (p.nextToken() != null) {
                throw new InvalidRequestException("Unexpected content after the JSON body.", null);
            }
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(
                    "We could not parse the JSON body of your request: " + e.getOriginalMessage(),
                    null);
        } catch (IOException e) {
            throw new InvalidRequestException("The request body could not be read.", null);
        }
        if (model == null) {
            throw new InvalidRequestException("model: Field required", "model");
        }
        if (!hasMessages) {
            throw new InvalidRequestException("messages: Field required", "messages");
        }
        return new RequestFacts(
                model, user, stream, false, false, promptChars, Buffer.buffer(body));
    }

    private void field(JsonParser p, String name, JsonToken token)
            throws IOException, InvalidRequestException {
        switch (name) {
            case "model" -> {
                if (token != JsonToken.VALUE_STRING || p.getText().isEmpty()) {
                    throw new InvalidRequestException(
                            "model: Input should be a non-empty string", "model");
                }
                model = p.getText();
            }
            case "messages" -> {
                if (token != JsonToken.START_ARRAY) {
                    throw new InvalidRequestException(
                            "messages: Input should be a valid list", "messages");
                }
                hasMessages = true;
                promptChars += PromptText.messages(p);
            }
            case "system" -> promptChars += PromptText.content(p, token);
            case "stream" -> {
                if (token != JsonToken.VALUE_TRUE
                        && token != JsonToken.VALUE_FALSE
                        && token != JsonToken.VALUE_NULL) {
                    throw new InvalidRequestException(
                            "stream: Input should be a valid boolean", "stream");
                }
                stream = token == JsonToken.VALUE_TRUE;
            }
            case "metadata" -> metadata(p, token);
            default -> p.skipChildren();
        }
    }

    /** {@code metadata.user_id}: Anthropic's end-user identifier, recorded as the user. */
    private void metadata(JsonParser p, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_STRING && name.equals("user_id")) {
                user = p.getText();
            } else {
                p.skipChildren();
            }
        }
    }
}
