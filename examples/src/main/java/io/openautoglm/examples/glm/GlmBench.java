package io.openautoglm.examples.glm;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.TextRecord;
import io.openautoglm.glm.testing.GlmTestServer;
import java.util.ArrayList;
import java.util.List;

/** What the GLM example and the GLM benchmarks (module benchmarks) share: the synthetic reviews and the server's answers to them. */
public final class GlmBench {
    public static final String KEY = "bench-key-not-a-secret";
    public static final String[] LABELS = {"正面", "负面", "中性"};
    private static final String[] PHRASES = {"房间很干净", "隔壁太吵了", "早餐还行", "服务热情", "价格偏贵", "位置方便"};

    private GlmBench() {}

    /** {@code n} distinct reviews with ids {@code r0…}, so every prompt is unique and countable. */
    public static Dataset reviews(int n) {
        List<TextRecord> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            records.add(TextRecord.builder()
                    .id("r" + i)
                    .text(PHRASES[i % PHRASES.length] + "，订单 " + i + " 号")
                    .build());
        }
        return Dataset.of("reviews-" + n, records);
    }

    /** The label a review gets: decided by its phrase, worded as a chat model might. */
    public static String answer(GlmTestServer.ChatCall call) {
        String p = call.lastUserMessage();
        if (p.contains("干净") || p.contains("热情") || p.contains("方便")) {
            return "正面";
        }
        if (p.contains("吵") || p.contains("贵")) {
            return "答案：负面";
        }
        return "中性。";
    }
}
