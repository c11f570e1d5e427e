package io.openautoglm.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openautoglm.core.Dataset;
import io.openautoglm.core.Prediction;
import io.openautoglm.core.Task;
import io.openautoglm.core.TaskSpec;
import io.openautoglm.core.TaskType;
import io.openautoglm.core.TextRecord;
import io.openautoglm.core.UsageMeter;
import io.openautoglm.core.spi.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The few-shot head's zero-shot prior on the real model: demonstrations from hotel reviews whose wording is skewed
 * (every positive one praises the location, every negative one complains of noise), evaluated on reviews of other
 * things (films, phones, food, courses, ...), a third of them worded indirectly.
 */
class FewShotPriorTest {
    private static LocalModel model;

    private static final String[] HOTEL_POSITIVE = {
        "酒店位置很好，离地铁站只有五分钟",
        "交通方便，出门就能打到车",
        "酒店就在市中心，去景点都很近",
        "地段不错，周边吃饭购物都方便",
        "位置优越，步行可到火车站",
        "酒店离机场近，赶飞机很方便",
        "附近有大商场，逛街很方便",
        "位置安静又不偏，出行方便"
    };
    private static final String[] HOTEL_NEGATIVE = {
        "房间隔音太差，隔壁说话听得一清二楚",
        "空调噪音很大，整晚没睡好",
        "楼下施工，早上六点就被吵醒",
        "窗户关不严，马路上的车声很吵",
        "走廊里一直有人大声喧哗",
        "卫生间的排风扇嗡嗡响个不停",
        "半夜电梯声音很吵",
        "床一动就吱吱响，根本睡不着"
    };
    private static final String[] OTHER_POSITIVE = {
        "这部电影剧情紧凑，演员演技在线，看完很感动",
        "手机运行流畅，拍照效果出色，电池也很耐用",
        "这本书写得真好，读完受益匪浅",
        "餐厅的菜味道地道，分量足，价格实惠",
        "快递第二天就到了，包装完好，卖家服务贴心",
        "老师讲课深入浅出，这门课让我学到很多",
        "耳机音质清晰，佩戴舒适，物超所值",
        "这家咖啡店环境优雅，拿铁香浓，值得推荐",
        "衣服面料柔软，做工精细，穿着很合身",
        "游戏画面精美，玩法有趣，玩了停不下来",
        "客服回复及时，问题很快就解决了，非常满意",
        "这款洗发水味道清香，洗完头发很顺滑",
        "演唱会气氛热烈，歌手现场唱功了得",
        "新买的笔记本电脑开机速度快，屏幕清晰",
        "这家面馆汤头浓郁，面条筋道，下次还来",
        "孩子很喜欢这个玩具，质量也很好",
        "导游热情专业，行程安排合理，玩得很开心",
        "软件界面简洁，操作方便，功能很实用",
        "蛋糕松软香甜，不腻，家人都说好吃",
        "这辆车开起来平稳，油耗低，很省心",
        "本来没抱什么期待，结果出乎意料地好看",
        "价格虽然贵了点，但是一分钱一分货",
        "排了很久的队，不过味道确实对得起等待",
        "第一次网购这么顺利，下次还找这家",
        "朋友推荐的这本小说，一口气读到了天亮",
        "说明书写得明白，老人也能自己学会用",
        "用了半年还跟新的一样",
        "虽然是小众品牌，品质一点不输大牌",
        "孩子每天都吵着要去上这个兴趣班",
        "维修师傅上门很准时，顺手还帮忙检查了线路"
    };
    private static final String[] OTHER_NEGATIVE = {
        "电影情节拖沓，结局莫名其妙，浪费时间",
        "手机用了一周就频繁死机，发热严重",
        "这本书内容空洞，错别字很多，不推荐",
        "菜又咸又油，上菜还特别慢，再也不来了",
        "快递拖了十天才到，盒子都压坏了",
        "老师照本宣科，课程内容枯燥，学不到东西",
        "耳机杂音很大，戴久了耳朵疼，后悔买了",
        "咖啡又苦又酸，店员态度冷淡",
        "衣服起球掉色，尺码也不准，质量太差",
        "游戏bug太多，经常闪退，氪金还严重",
        "客服一直推脱责任，问题拖了一个月没解决",
        "洗发水用完头皮发痒，头发更干了",
        "演唱会音响效果糟糕，歌手全程假唱",
        "电脑用了三个月屏幕就坏了，售后不理不睬",
        "面条坨了，汤是凉的，难吃",
        "玩具做工粗糙，有刺鼻的气味，不敢给孩子玩",
        "导游一直带我们购物，行程被压缩，很失望",
        "软件广告太多，经常卡顿，体验很差",
        "蛋糕不新鲜，奶油有股怪味",
        "车子异响不断，修了好几次都没修好",
        "宣传得天花乱坠，实际用起来完全不是那么回事",
        "等了一个小时，菜还没上齐",
        "看了二十分钟就睡着了",
        "买回来第二天就降价了，还不给保价",
        "说是全新的，拆开发现有使用痕迹",
        "说好的七天无理由退货，现在却各种推脱",
        "除了包装好看，没有一点可取之处",
        "充一次电只能用半天，还不如旧的",
        "这钱花得真冤枉",
        "课程说是零基础，结果第一节就听不懂"
    };

    @BeforeAll
    static void open() {
        model = LocalModel.open("local:bge-small-zh", LocalOptions.DEFAULTS);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static List<TextRecord> otherDomain() {
        List<TextRecord> out = new ArrayList<>();
        for (String t : OTHER_POSITIVE) {
            out.add(TextRecord.of(t, "正面"));
        }
        for (String t : OTHER_NEGATIVE) {
            out.add(TextRecord.of(t, "负面"));
        }
        return out;
    }

    private static Dataset hotel(int perClass) {
        List<TextRecord> out = new ArrayList<>();
        for (int i = 0; i < perClass; i++) {
            out.add(TextRecord.of(HOTEL_POSITIVE[i], "正面"));
            out.add(TextRecord.of(HOTEL_NEGATIVE[i], "负面"));
        }
        return Dataset.of("hotel-" + perClass, out);
    }

    private static List<Outcome> classify(Dataset examples, String priorStrength, List<TextRecord> texts) {
        TaskSpec.Builder spec = TaskSpec.builder()
                .taskType(TaskType.TEXT_CLASSIFICATION)
                .labels("正面", "负面")
                .examples(examples);
        if (priorStrength != null) {
            spec.option("priorStrength", priorStrength);
        }
        return model.predictor(Task.of(spec.build())).predict(texts, new UsageMeter());
    }

    private static double accuracy(List<Outcome> out, List<TextRecord> gold) {
        int correct = 0;
        for (int i = 0; i < gold.size(); i++) {
            String label = ((Prediction.Classification) out.get(i).prediction()).label();
            correct += label.equals(gold.get(i).label()) ? 1 : 0;
        }
        return correct / (double) gold.size();
    }

    @Test
    void aFewSkewedExamplesFromOneDomainDoNotLoseToZeroShotOnAnother() {
        List<TextRecord> other = otherDomain();
        double zeroShot = accuracy(classify(null, null, other), other);
        assertTrue(zeroShot > 0.75 && zeroShot < 1, "the texts leave zero-shot room to fail: " + zeroShot);
        for (int perClass : new int[] {2, 4, 8}) {
            double held = accuracy(classify(hotel(perClass), null, other), other);
            double free = accuracy(classify(hotel(perClass), "0", other), other);
            // with the logits held no harder than the weights, 2 a class lost one text of the 60 here
            assertTrue(
                    held >= zeroShot - 1e-9,
                    perClass + " per class: the default head " + held + " lost to zero-shot " + zeroShot);
            // the head trained from zero (as before the prior) learns the hotel wording and loses
            assertTrue(
                    free <= zeroShot - 0.05,
                    perClass + " per class: the free head " + free + " against zero-shot " + zeroShot);
        }
    }

    @Test
    void theHeadStillLearnsItsOwnExamples() {
        Dataset examples = hotel(8);
        List<TextRecord> own = examples.toList();
        assertEquals(1.0, accuracy(classify(examples, null, own), own), "the 16 hotel examples themselves");
    }

    @Test
    void anOverwhelmingPriorIsTheZeroShotClassifier() {
        // the label vectors over the temperature, as a linear head, give the zero-shot probabilities exactly
        List<TextRecord> other = otherDomain();
        List<Outcome> zeroShot = classify(null, null, other);
        List<Outcome> pinned = classify(hotel(8), "1e9", other);
        for (int i = 0; i < other.size(); i++) {
            Prediction.Classification a =
                    (Prediction.Classification) zeroShot.get(i).prediction();
            Prediction.Classification b =
                    (Prediction.Classification) pinned.get(i).prediction();
            assertEquals(a.label(), b.label(), other.get(i).text());
            assertEquals(
                    a.scores().get("正面"),
                    b.scores().get("正面"),
                    1e-4,
                    other.get(i).text());
        }
    }
}
