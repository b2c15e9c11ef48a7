package org.arachne.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.arachne.item.Item;
import org.arachne.item.ItemContext;
import org.arachne.item.TransactionalPipeline;

/**
 * The example of {@code docs/engine.md} ("A pipeline that writes elsewhere"), compiled and tested:
 * writes each response's items to a SQLite table in one transaction before the frontier commits
 * them, keyed by the item's id, so a request fetched again writes over its rows instead of adding
 * more.
 */
final class UpsertPipeline implements TransactionalPipeline {
    private static final String UPSERT =
            "INSERT INTO items (id, url, fields) VALUES (?, ?, ?)"
                    + " ON CONFLICT (id) DO UPDATE SET url = excluded.url, fields = excluded.fields";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String jdbcUrl;
    private final Map<ItemContext, Item> pending = new ConcurrentHashMap<>();
    private Connection db;

    UpsertPipeline(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    @Override
    public synchronized void open() throws SQLException {
        db = DriverManager.getConnection(jdbcUrl);
        try (Statement s = db.createStatement()) {
            s.execute(
                    "CREATE TABLE IF NOT EXISTS items"
                            + " (id TEXT PRIMARY KEY, url TEXT NOT NULL, fields TEXT NOT NULL)");
        }
        db.setAutoCommit(false);
    }

    @Override
    public Item process(Item item, ItemContext context) {
        pending.put(context, item); // written with the response's other items, before its commit
        return item;
    }

    @Override
    public synchronized void beforeCommit(List<ItemContext> items) throws Exception {
        try (PreparedStatement upsert = db.prepareStatement(UPSERT)) {
            for (ItemContext context : items) {
                upsert.setString(1, context.itemId());
                upsert.setString(2, context.url());
                upsert.setString(3, JSON.writeValueAsString(pending.remove(context).fields()));
                upsert.addBatch();
            }
            upsert.executeBatch();
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw e;
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        if (db != null) {
            db.close();
        }
    }
}
