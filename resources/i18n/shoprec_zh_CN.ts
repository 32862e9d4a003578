<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>App</name>
    <message>
        <location filename="../../desktop/app.py" line="76"/>
        <source>Something went wrong</source>
        <translation>出了点问题</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="79"/>
        <source>ShopRec keeps working. The details were written to the log file:
{path}</source>
        <translation>ShopRec 仍可继续使用。详细信息已写入日志文件：
{path}</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="102"/>
        <source>Something went wrong: {error}</source>
        <translation>出了点问题：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="138"/>
        <source>Cannot open the workspace:
{error}</source>
        <translation>无法打开工作区：
{error}</translation>
    </message>
</context>
<context>
    <name>CampaignsTab</name>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="109"/>
        <source>Campaigns</source>
        <translation>营销活动</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="110"/>
        <source>Choose who gets an e-mail about a product, a reorder reminder or a win-back. A random share is held back; after your next import the report compares those who got the e-mail with those who did not.</source>
        <translation>选择谁收到商品推荐邮件、回购提醒或召回邮件。系统会随机留出一部分顾客不发送；下次导入订单后，报告会比较收到邮件和没收到邮件的顾客。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="118"/>
        <source>New campaign</source>
        <translation>新建活动</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="121"/>
        <source>Products: customers likely to buy them</source>
        <translation>商品：最可能购买的顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="122"/>
        <source>Reorder reminder: customers due to buy again</source>
        <translation>回购提醒：该再次购买的顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="123"/>
        <source>Win-back: customers away unusually long</source>
        <translation>召回：久未下单的顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="127"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="129"/>
        <location filename="../../desktop/tabs/campaigns.py" line="239"/>
        <source>SKUs or product ids, separated by commas</source>
        <translation>SKU 或商品编号，用逗号分隔</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="130"/>
        <source>Products</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="132"/>
        <source>or a category, e.g. Coffee &gt; Beans</source>
        <translation>或一个类目，例如 咖啡 &gt; 咖啡豆</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="133"/>
        <source>Category</source>
        <translation>类目</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="137"/>
        <source>everyone who fits</source>
        <translation>所有符合条件的顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="138"/>
        <source>At most this many customers, the likeliest first</source>
        <translation>最多这么多顾客，最可能购买的排在前面</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="139"/>
        <source>Customers</source>
        <translation>顾客数</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="143"/>
        <source>Only customers at least this likely to buy</source>
        <translation>只要购买可能性至少这么高的顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="144"/>
        <source>At least</source>
        <translation>至少</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="150"/>
        <source>Kept back at random and not e-mailed, to compare with. Without them nobody can tell whether the e-mail made a difference.</source>
        <translation>随机留出、不发邮件的顾客，用来对比。没有他们，就无法判断邮件是否起了作用。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="153"/>
        <source>Hold back</source>
        <translation>留出</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="157"/>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="158"/>
        <source>How long after sending a purchase counts</source>
        <translation>发送后多少天内的购买算数</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="159"/>
        <source>Count purchases for</source>
        <translation>统计购买的天数</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="160"/>
        <source>Show audience</source>
        <translation>查看顾客名单</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="170"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="170"/>
        <source>Chance</source>
        <translation>可能性</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="170"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="176"/>
        <source>Campaign name, e.g. espresso-may</source>
        <translation>活动名称，例如 五月咖啡豆</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="177"/>
        <source>Create campaign</source>
        <translation>创建活动</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="190"/>
        <source>Your campaigns</source>
        <translation>您的活动</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="197"/>
        <source>Export send group…</source>
        <translation>导出发送名单…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="199"/>
        <source>Write the customers to e-mail (never those held back) for your e-mail tool</source>
        <translation>为您的邮件工具导出要发送的顾客（不含留出的顾客）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="204"/>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="206"/>
        <source>Compare the e-mailed customers with those held back, from the orders imported so far</source>
        <translation>根据目前导入的订单，比较收到邮件的顾客和留出的顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="240"/>
        <source>optional: only these products</source>
        <translation>可选：只限这些商品</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="266"/>
        <source>products</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="266"/>
        <source>reorder reminder</source>
        <translation>回购提醒</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="267"/>
        <source>win-back</source>
        <translation>召回</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="268"/>
        <source>created</source>
        <translation>已创建</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="268"/>
        <source>exported</source>
        <translation>已导出</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="269"/>
        <source>running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="269"/>
        <source>ready to report</source>
        <translation>可以出报告</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="271"/>
        <source>{name} · {kind} · {send} to send, {hold} held back · {state}</source>
        <translation>{name} · {kind} · 发送 {send} 人，留出 {hold} 人 · {state}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="313"/>
        <source>Choosing customers…</source>
        <translation>正在挑选顾客…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="334"/>
        <source>Nobody fits this audience: loosen the limits.</source>
        <translation>没有顾客符合条件：请放宽限制。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="338"/>
        <source>&lt;b&gt;{n} customers&lt;/b&gt;: about {e} of them are expected to buy.</source>
        <translation>&lt;b&gt;{n} 位顾客&lt;/b&gt;：预计其中约 {e} 位会购买。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="341"/>
        <source>The same number of random customers: about {r} (this audience: {x} times as many).</source>
        <translation>同样数量的随机顾客：约 {r} 位（这份名单是其 {x} 倍）。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="346"/>
        <source>Sending to {s} and holding back {h}, the report can tell an effect of {d} percentage points or more (about {b} extra buyers) in 8 campaigns out of 10.</source>
        <translation>发送给 {s} 位、留出 {h} 位时，每 10 次活动中有 8 次，报告能识别出 {d} 个百分点或更大的效果（约多 {b} 位买家）。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="351"/>
        <source>With nobody held back, the report cannot tell whether the e-mail made a difference.</source>
        <translation>没有留出顾客，报告就无法判断邮件是否起了作用。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="354"/>
        <source>Chance: {event}.</source>
        <translation>可能性的含义：{event}。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="363"/>
        <source>Give the campaign a name first.</source>
        <translation>请先给活动起个名字。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="368"/>
        <source>Storing the campaign…</source>
        <translation>正在保存活动…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="372"/>
        <source>Campaign {name} stored: {send} to e-mail, {hold} held back. Export the send group for your e-mail tool.</source>
        <translation>活动 {name} 已保存：发送 {send} 位，留出 {hold} 位。请为您的邮件工具导出发送名单。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="390"/>
        <source>Export send group</source>
        <translation>导出发送名单</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="391"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="397"/>
        <source>Wrote {path}: {rows} customers to e-mail.</source>
        <translation>已写入 {path}：{rows} 位要发送的顾客。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="399"/>
        <source>Writing the file…</source>
        <translation>正在写入文件…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="409"/>
        <source>Counting purchases…</source>
        <translation>正在统计购买…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="417"/>
        <source>E-mailed: {b} of {n} bought · held back: {hb} of {hn}</source>
        <translation>收到邮件：{n} 位中 {b} 位购买 · 留出：{hn} 位中 {hb} 位购买</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="419"/>
        <source>Difference {d} points (95 % interval {lo} to {hi}); in the whole shop {base} % of customers bought.</source>
        <translation>差异 {d} 个百分点（95% 区间 {lo} 到 {hi}）；全店 {base}% 的顾客购买了。</translation>
    </message>
</context>
<context>
    <name>Choices</name>
    <message>
        <location filename="../../desktop/texts.py" line="270"/>
        <source>automatic</source>
        <extracomment>values of choice settings and of &quot;0 means automatic&quot; spin boxes</extracomment>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="271"/>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="272"/>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="273"/>
        <source>compare with every product (best)</source>
        <translation>与所有商品比较（最好）</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="274"/>
        <source>compare with a sample (large shops)</source>
        <translation>与抽样商品比较（大店铺）</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="275"/>
        <source>sample, scores kept as probabilities</source>
        <translation>抽样比较，分数保持为概率</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="276"/>
        <source>latest events</source>
        <translation>最近的行为</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="277"/>
        <source>whole history</source>
        <translation>全部历史</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="278"/>
        <source>English text model</source>
        <translation>英文文本模型</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="279"/>
        <source>word matching</source>
        <translation>词语匹配</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="280"/>
        <source>next purchase</source>
        <translation>下一次购买</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="281"/>
        <source>next visit</source>
        <translation>下一次浏览</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="282"/>
        <source>plain predictor only</source>
        <translation>仅用基本预测</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="283"/>
        <source>always the extra signals</source>
        <translation>始终使用额外信号</translation>
    </message>
</context>
<context>
    <name>CompareTab</name>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="73"/>
        <source>Hits in top {k}</source>
        <translation>前 {k} 名命中率</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="74"/>
        <source>Share of customers whose next product is in their top {k} (HR@{k})</source>
        <translation>下一件商品出现在前 {k} 名里的顾客比例（HR@{k}）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="76"/>
        <source>Ranked hits @{k}</source>
        <translation>前 {k} 名加权命中</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="77"/>
        <source>Like hits, but a hit counts more the higher it is ranked (NDCG)</source>
        <translation>与命中率类似，但排得越靠前分数越高（NDCG）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="79"/>
        <source>Found in top {k}</source>
        <translation>前 {k} 名找回率</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="80"/>
        <source>Share of each customer&apos;s next products found in the top {k} (recall)</source>
        <translation>每位顾客接下来的商品中，出现在前 {k} 名里的比例（召回率）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="82"/>
        <source>Rank score</source>
        <translation>排名得分</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="83"/>
        <source>Mean reciprocal rank of the next product over the whole catalogue (MRR)</source>
        <translation>在全部商品中，下一件商品排名倒数的平均值（MRR）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="85"/>
        <source>Coverage</source>
        <translation>覆盖率</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="86"/>
        <source>Share of your products that appear in some list</source>
        <translation>出现在至少一份清单里的商品比例</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="87"/>
        <source>Variety</source>
        <translation>多样性</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="88"/>
        <source>How different the products within a list are</source>
        <translation>同一份清单里商品之间的差异程度</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="89"/>
        <source>Chance error</source>
        <translation>概率偏差</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="90"/>
        <source>How far the shown chances are from how often they came true (ECE; lower is better)</source>
        <translation>显示的可能性与实际发生频率相差多少（ECE，越低越好）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="92"/>
        <source>Learning (s)</source>
        <translation>学习（秒）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="93"/>
        <source>Seconds to learn, the checking pass included</source>
        <translation>学习用时（秒），含检验环节</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="94"/>
        <source>Scoring (s)</source>
        <translation>打分（秒）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="95"/>
        <source>Seconds to rank the whole catalogue for every test customer</source>
        <translation>为每位测试顾客给全部商品排序的用时（秒）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="107"/>
        <source>No method could be measured.</source>
        <translation>没有任何方法能完成测量。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="111"/>
        <source>None of the methods put the product a customer chose next in their top {k}. The shop may need more history.</source>
        <translation>没有一种方法能把顾客接下来选的商品排进前 {k} 名。店铺可能需要更多历史数据。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="115"/>
        <source>{title} puts the product a customer chose next in their top {k} for 1 in {n} customers</source>
        <translation>“{title}”每 {n} 位顾客中能为 1 位把他接下来选的商品排进前 {k} 名</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="127"/>
        <source>; {other} never does.</source>
        <translation>；“{other}”一次也没有做到。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="131"/>
        <source>twice</source>
        <translation>两倍</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="132"/>
        <source>{x} times</source>
        <translation>{x} 倍</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="135"/>
        <source>, {times} as often as {other}.</source>
        <translation>，是“{other}”的{times}。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="138"/>
        <source>, {pct} % more often than {other}.</source>
        <translation>，比“{other}”多 {pct}%。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="141"/>
        <source>, about as often as {other}.</source>
        <translation>，与“{other}”差不多。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="149"/>
        <source>{names}: stopped learning early to fit the comparison&apos;s time, so it may do better than shown here.</source>
        <translation>{names}：为了在比较的时间内完成，它提前停止了学习，实际效果可能比这里显示的更好。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="159"/>
        <location filename="../../desktop/tabs/compare.py" line="595"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="215"/>
        <location filename="../../desktop/tabs/compare.py" line="225"/>
        <source>chance shown</source>
        <translation>显示的可能性</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="223"/>
        <source>chance shown (a dot per tenth of the listed items)</source>
        <translation>显示的可能性（每十分之一的清单商品一个点）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="253"/>
        <source>How true the chances are</source>
        <translation>可能性有多准</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="279"/>
        <source>came true</source>
        <translation>实际发生</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="283"/>
        <source>no chances to show</source>
        <translation>没有可显示的可能性</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="309"/>
        <location filename="../../desktop/tabs/compare.py" line="367"/>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="312"/>
        <source>Which method suits your shop best, measured on your own customers</source>
        <translation>用您自己的顾客来衡量，哪种方法最适合您的店铺</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="317"/>
        <source>Which method suits your shop?</source>
        <translation>哪种方法最适合您的店铺？</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="318"/>
        <source>Each method learns from the past and is checked on what customers really did next (products a customer already has do not count).</source>
        <translation>每种方法都从过去的数据学习，再用顾客接下来的实际行为来检验（顾客已有的商品不计）。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="321"/>
        <source>Methods</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="330"/>
        <source>How to test</source>
        <translation>测试方式</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="333"/>
        <source>Guess each customer&apos;s last product</source>
        <translation>预测每位顾客的最后一件商品</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="334"/>
        <source>Learn before a date, check after it</source>
        <translation>用某日之前的数据学习，用之后的数据检验</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="336"/>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="338"/>
        <source>Split at</source>
        <translation>分界日期</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="340"/>
        <source>Unticked: ShopRec picks a date that leaves enough to check</source>
        <translation>不勾选：ShopRec 会自动选一个日期，留出足够的数据来检验</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="350"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="354"/>
        <source>How many products of each list count</source>
        <translation>每份清单计入多少件商品</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="355"/>
        <source>List length</source>
        <translation>清单长度</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="358"/>
        <source>all customers</source>
        <translation>全部顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="361"/>
        <source>Test on a random sample of customers for a faster answer</source>
        <translation>随机抽取部分顾客测试，更快得到结果</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="362"/>
        <source>Customers</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="369"/>
        <source>Learn and check the ticked methods (Ctrl+R)</source>
        <translation>学习并检验勾选的方法（Ctrl+R）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="385"/>
        <source>Use this strategy</source>
        <translation>使用这个方法</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="387"/>
        <source>Make the selected method the one your lists come from (Recommendations and Export)</source>
        <translation>把选中的方法设为清单的来源（“推荐”和“导出”页都会使用）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="452"/>
        <source>Checked with its default settings (it has not learned here yet).</source>
        <translation>使用默认设置测试（它还没在这里学习过）。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="455"/>
        <source>Checked with the settings it last learned with (run {run}, {seconds} s).</source>
        <translation>使用上次学习时的设置测试（第 {run} 次，{seconds} 秒）。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="458"/>
        <source>Takes minutes to learn: tick it when you have time.</source>
        <translation>学习需要几分钟：有空时再勾选。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="514"/>
        <source>Tick the methods to compare and press Compare.</source>
        <translation>勾选要比较的方法，然后点“比较”。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="515"/>
        <source>No data yet.

Import your shop&apos;s exports in the Data tab; then compare the methods here on your own customers.</source>
        <translation>还没有数据。

请先在“数据”页导入店铺的导出文件；然后在这里用您自己的顾客比较各种方法。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="519"/>
        <source>No methods are installed (see Help → Plugins).</source>
        <translation>没有安装任何方法（见 帮助 → 插件）。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="525"/>
        <source>Tick at least one method to compare.</source>
        <translation>请至少勾选一种方法进行比较。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="547"/>
        <source>Comparing {n} methods…</source>
        <translation>正在比较 {n} 种方法…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="549"/>
        <source>Stop comparing: the methods that finished are kept and shown (Esc)</source>
        <translation>停止比较：已完成的方法会保留并显示（Esc）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="550"/>
        <source>Comparing…</source>
        <translation>正在比较…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="552"/>
        <source>Comparison cancelled.</source>
        <translation>比较已取消。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="560"/>
        <source>Stopped. The {n} methods that finished are shown; not measured: {names}.</source>
        <translation>已停止。已显示完成的 {n} 种方法；未测量：{names}。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="562"/>
        <source>Comparison stopped</source>
        <translation>比较已停止</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="571"/>
        <source>{n} methods could not be measured: {errors}</source>
        <translation>{n} 种方法无法测量：{errors}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="575"/>
        <source>Comparison done</source>
        <translation>比较完成</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="590"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="614"/>
        <source>Last product of each customer</source>
        <translation>每位顾客的最后一件商品</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="615"/>
        <source>Before / after {date}</source>
        <translation>以 {date} 为界</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="620"/>
        <source>{users} test customers · {items} products · lists of {k} · best value per column in bold</source>
        <translation>{users} 位测试顾客 · {items} 件商品 · 清单长度 {k} · 每列最佳值加粗</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="624"/>
        <source>each method with the settings it last learned with, if any</source>
        <translation>每种方法都用其上次学习时的设置（如有）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="626"/>
        <source>last comparison, kept in this workspace</source>
        <translation>上次比较结果，保存在本工作区</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="644"/>
        <source>Use “{title}” for my lists</source>
        <translation>用“{title}”生成我的清单</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="648"/>
        <source>{title}: off by {ece}</source>
        <translation>{title}：偏差 {ece}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="651"/>
        <source>, by tenths {gap}</source>
        <translation>，按十分位 {gap}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="668"/>
        <source>Your lists now come from “{title}”. Recommendations shows it; if it has not learned yet, press “Learn from my shop” there.</source>
        <translation>现在您的清单来自“{title}”。“推荐”页会显示它；如果它还没学习，请在那里点“从我的店铺学习”。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/compare.py" line="670"/>
        <source>Using {title}</source>
        <translation>正在使用“{title}”</translation>
    </message>
</context>
<context>
    <name>CustomersTab</name>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="94"/>
        <source>&lt;b&gt;Kind of customer:&lt;/b&gt; {segment}</source>
        <translation>&lt;b&gt;顾客类型：&lt;/b&gt;{segment}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="97"/>
        <source>last active {days} days before the newest data</source>
        <translation>最近一次活动比最新数据早 {days} 天</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="100"/>
        <source>{n} orders</source>
        <translation>{n} 笔订单</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="102"/>
        <source>spent {money}</source>
        <translation>消费 {money}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="105"/>
        <source>budget</source>
        <translation>实惠</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="106"/>
        <source>mid-range</source>
        <translation>中等</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="107"/>
        <source>premium</source>
        <translation>高端</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="109"/>
        <source>&lt;b&gt;Prices they pay:&lt;/b&gt; {band}</source>
        <translation>&lt;b&gt;消费价位：&lt;/b&gt;{band}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="111"/>
        <source> (typically {price})</source>
        <translation>（通常 {price}）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="114"/>
        <source>&lt;b&gt;Likes:&lt;/b&gt; {what}</source>
        <translation>&lt;b&gt;喜欢：&lt;/b&gt;{what}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="117"/>
        <source>&lt;b&gt;Brands:&lt;/b&gt; {what}</source>
        <translation>&lt;b&gt;品牌：&lt;/b&gt;{what}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="121"/>
        <source>&lt;b&gt;Closest to their taste&lt;/b&gt; ({source}): {names}</source>
        <translation>&lt;b&gt;最合其口味&lt;/b&gt;（{source}）：{names}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="134"/>
        <source>Customers</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="137"/>
        <source>Find a customer: their history, what they like and their lists</source>
        <translation>查找顾客：历史记录、喜好和推荐清单</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="143"/>
        <source>Search customers by id, e-mail or name (Ctrl+F)</source>
        <translation>按编号、邮箱或姓名搜索顾客（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="155"/>
        <source>Forget this customer…</source>
        <translation>删除这位顾客…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="158"/>
        <source>Erase this customer from the workspace for good (a data-deletion request)</source>
        <translation>从工作区彻底删除这位顾客（应顾客要求删除个人数据）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="165"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="165"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="165"/>
        <source>E-mail</source>
        <translation>电子邮箱</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="166"/>
        <source>Events</source>
        <translation>行为记录</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="166"/>
        <source>Last seen</source>
        <translation>最近活动</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="184"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="184"/>
        <source>Event</source>
        <translation>行为</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="184"/>
        <location filename="../../desktop/tabs/customers.py" line="201"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="184"/>
        <location filename="../../desktop/tabs/customers.py" line="201"/>
        <source>Title</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="185"/>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="185"/>
        <source>Value</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="185"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="188"/>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="193"/>
        <source>List from:</source>
        <translation>清单来源：</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="195"/>
        <source>The stored lists of a learned method (newest first)</source>
        <translation>已学习方法保存的清单（最新的在前）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="201"/>
        <source>Rank</source>
        <translation>名次</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="201"/>
        <source>Chance</source>
        <translation>可能性</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="202"/>
        <source>Why</source>
        <translation>推荐理由</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="210"/>
        <source>Current list</source>
        <translation>当前清单</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="244"/>
        <source>{shown} of {total} match</source>
        <translation>{total} 位中有 {shown} 位匹配</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="247"/>
        <source>{n} customers</source>
        <translation>{n} 位顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="253"/>
        <source>No customer matches “{text}”.</source>
        <translation>没有顾客与“{text}”匹配。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="254"/>
        <source>No customers yet.</source>
        <translation>还没有顾客。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="261"/>
        <source>No customers yet.

Import your orders or an event list in the Data tab; customers appear here with their history and their lists.</source>
        <translation>还没有顾客。

请在“数据”页导入订单或行为记录；顾客会连同历史记录和清单出现在这里。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="343"/>
        <source>{source}, run {run}</source>
        <translation>{source}，第 {run} 次</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="344"/>
        <source>run {run}</source>
        <translation>第 {run} 次</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="351"/>
        <source>No events for this customer yet.</source>
        <translation>这位顾客还没有行为记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="352"/>
        <source>&lt;b&gt;Activity:&lt;/b&gt; {what} from {first} to {last}</source>
        <translation>&lt;b&gt;活动：&lt;/b&gt;{first} 至 {last}，{what}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="356"/>
        <source>&lt;b&gt;Orders:&lt;/b&gt; {n}</source>
        <translation>&lt;b&gt;订单：&lt;/b&gt;{n} 笔</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="357"/>
        <source>, spent {money}</source>
        <translation>，消费 {money}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="360"/>
        <source>&lt;b&gt;Top categories:&lt;/b&gt; {what}</source>
        <translation>&lt;b&gt;常买类目：&lt;/b&gt;{what}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="370"/>
        <source>{strategy} — {when} (run {run})</source>
        <translation>{strategy} — {when}（第 {run} 次）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="381"/>
        <source>No lists yet.

Let ShopRec learn in the Recommendations tab; the lists appear here for every customer.</source>
        <translation>还没有清单。

请在“推荐”页让 ShopRec 学习；每位顾客的清单会出现在这里。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="391"/>
        <source>There is no list for this customer (no item passed the filter, or they were not included).</source>
        <translation>这位顾客没有清单（没有商品通过筛选，或未包含这位顾客）。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="414"/>
        <source>Permanently erase {who}?

This removes the customer, {events} events, {lists} list entries and {other} other rows naming them, and rebuilds the workspace file so nothing of them is left in it. {runs} trained run(s) learned from them: their models are removed too (train again afterwards).

A backup is made first; it still holds the customer. Your own export files are not changed. This cannot be undone.</source>
        <translation>要永久删除 {who} 吗？

这会删除这位顾客、{events} 条行为记录、{lists} 条推荐清单记录以及另外 {other} 条提到他们的数据，并重建工作区文件，不留下任何痕迹。有 {runs} 次训练用到了这位顾客的数据：这些模型也会被删除（之后请重新训练）。

删除前会先做一份备份，备份里仍有这位顾客的数据。您自己的导出文件不会被改动。此操作无法撤销。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="429"/>
        <source>Forget this customer</source>
        <translation>删除这位顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="431"/>
        <source>Erase</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="442"/>
        <source>Erasing the customer…</source>
        <translation>正在删除这位顾客…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/customers.py" line="451"/>
        <source>Erased {n} customer(s) and {events} events. A backup made just before is in {folder}; it still holds them.</source>
        <translation>已删除 {n} 位顾客和 {events} 条行为记录。删除前的备份在 {folder}，其中仍保留着他们的数据。</translation>
    </message>
</context>
<context>
    <name>DataTab</name>
    <message>
        <location filename="../../desktop/tabs/data.py" line="86"/>
        <source>{file}: {read} rows read = {imported} imported + {anon} guest order lines + {dup} duplicates + {rej} rejected</source>
        <translation>{file}：读取 {read} 行 = 导入 {imported} + 访客订单行 {anon} + 重复 {dup} + 拒收 {rej}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="90"/>
        <source>{file}: {read} rows read = {imported} imported + {dup} duplicates + {rej} rejected</source>
        <translation>{file}：读取 {read} 行 = 导入 {imported} + 重复 {dup} + 拒收 {rej}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="96"/>
        <source> in {seconds} s</source>
        <translation>，用时 {seconds} 秒</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="107"/>
        <location filename="../../desktop/tabs/data.py" line="115"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="110"/>
        <source>Import your shop&apos;s exports and check what was imported</source>
        <translation>导入店铺的导出文件，并核对导入了什么</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="116"/>
        <source>Import the files your shop exports: orders, products, customers, events. Every row is imported, recognised as a duplicate, or listed as rejected with its reason.</source>
        <translation>导入店铺导出的文件：订单、商品、顾客、行为记录。每一行要么被导入，要么被认出是重复行，要么被列为拒收并注明原因。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="124"/>
        <source>Import files…</source>
        <translation>导入文件…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="126"/>
        <source>Choose one or more export files; you see how they will be read before anything is imported (Ctrl+I). You can also drop files on the window.</source>
        <translation>选择一个或多个导出文件；导入前会先显示文件将如何读取（Ctrl+I）。也可以把文件拖到窗口上。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="137"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="137"/>
        <source>Layout</source>
        <translation>文件格式</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="137"/>
        <source>Encoding</source>
        <translation>编码</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="137"/>
        <source>Separator</source>
        <translation>分隔符</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="138"/>
        <source>Rows read</source>
        <translation>读取行数</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="138"/>
        <source>Imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="138"/>
        <source>Guest lines</source>
        <translation>访客订单行</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="139"/>
        <source>Duplicates</source>
        <translation>重复</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="139"/>
        <source>Rejected</source>
        <translation>拒收</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="139"/>
        <source>Seconds</source>
        <translation>秒数</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="139"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="143"/>
        <source>Tab</source>
        <translation>制表符</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="147"/>
        <source>Line</source>
        <translation>行号</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="147"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="147"/>
        <source>Raw text</source>
        <translation>原始内容</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="157"/>
        <source>Rejected rows</source>
        <translation>被拒收的行</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="158"/>
        <source>Not recommended</source>
        <translation>不推荐的项目</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="165"/>
        <source>No data yet.

Import your shop&apos;s exports with “Import files…” (Ctrl+I), or drop the files on this window.
Exports from Shopify, WooCommerce, Square, Etsy, PrestaShop and Magento, MovieLens ratings and plain event lists are recognised.</source>
        <translation>还没有数据。

点“导入文件…”（Ctrl+I）导入店铺的导出文件，或把文件拖到这个窗口上。
可识别 Shopify、WooCommerce、Square、Etsy、PrestaShop 和 Magento 的导出文件、MovieLens 评分以及普通行为记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="168"/>
        <source>Try the demo shop</source>
        <translation>试试示例店铺</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="170"/>
        <source>Make up a shop&apos;s exports (products, customers, orders, browsing) and import them, exactly like real files, into a separate workspace ({name})</source>
        <translation>生成一家虚构店铺的导出文件（商品、顾客、订单、浏览），像真实文件一样导入到单独的工作区（{name}）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="197"/>
        <source>Postage, fees, discounts, gift cards and vouchers are never recommended. ShopRec finds them from names, prices and orders; you have the last word.</source>
        <extracomment>files waiting to be imported: (path, format or None, column mapping or None)</extracomment>
        <translation>运费、手续费、折扣、礼品卡和代金券永远不会被推荐。ShopRec 根据名称、价格和订单识别它们；最终由您决定。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="203"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="203"/>
        <source>Title</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="203"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="203"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="212"/>
        <source>Keep an item out…</source>
        <translation>排除某件商品…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="214"/>
        <source>Never recommend an item (by its id or SKU), for example a fee ShopRec did not recognise</source>
        <translation>永不推荐某件商品（按商品编号或 SKU），例如 ShopRec 没有识别出的费用项</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="217"/>
        <source>Recommend it after all</source>
        <translation>仍然推荐它</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="218"/>
        <source>The selected item is a real product: let it into lists again</source>
        <translation>所选项目是真实商品：让它重新进入推荐清单</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="221"/>
        <source>Undo my choice</source>
        <translation>撤销我的选择</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="222"/>
        <source>Let ShopRec decide about the selected item again</source>
        <translation>让 ShopRec 重新判断所选项目</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="250"/>
        <source>kept out by you</source>
        <translation>已由您排除</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="251"/>
        <source>kept out</source>
        <translation>已排除</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="253"/>
        <source>recommended: your choice</source>
        <translation>推荐：您的选择</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="254"/>
        <source>Not recommended ({n})</source>
        <translation>不推荐的项目（{n}）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="278"/>
        <source>Keep an item out</source>
        <translation>排除某件商品</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="279"/>
        <source>Item id or SKU of the item never to recommend:</source>
        <translation>永不推荐的商品编号或 SKU：</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="301"/>
        <source>There is no item “{item}” in this workspace.</source>
        <translation>此工作区中没有商品“{item}”。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="305"/>
        <source>Saved. Lists change the next time you learn or rebuild them.</source>
        <translation>已保存。下次学习或重建清单时生效。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="313"/>
        <source>Could not list the file layouts: {error}</source>
        <translation>无法列出文件格式：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="362"/>
        <source>Importing {file} ({n} more waiting)…</source>
        <translation>正在导入 {file}（还有 {n} 个在等待）…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="364"/>
        <location filename="../../desktop/tabs/data.py" line="366"/>
        <source>Importing {file}…</source>
        <translation>正在导入 {file}…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="383"/>
        <source>Import failed: {error}</source>
        <translation>导入失败：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="396"/>
        <source>Import of {file} cancelled; the workspace is unchanged.</source>
        <translation>已取消导入 {file}；工作区没有任何改动。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="399"/>
        <source>{n} waiting files not imported.</source>
        <translation>还有 {n} 个等待中的文件未导入。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="409"/>
        <source>Continuing with {n} more files…</source>
        <translation>继续处理剩下的 {n} 个文件…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="428"/>
        <source>Writing the demo shop&apos;s exports…</source>
        <translation>正在生成示例店铺的导出文件…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="448"/>
        <source>&lt;b&gt;{customers}&lt;/b&gt; customers · &lt;b&gt;{items}&lt;/b&gt; products · &lt;b&gt;{events}&lt;/b&gt; events</source>
        <translation>&lt;b&gt;{customers}&lt;/b&gt; 位顾客 · &lt;b&gt;{items}&lt;/b&gt; 件商品 · &lt;b&gt;{events}&lt;/b&gt; 条行为记录</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="453"/>
        <source>{imports} imports · {rejects} rejected rows</source>
        <translation>导入 {imports} 次 · 拒收 {rejects} 行</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="479"/>
        <source>Rejected rows in {file}: &lt;b&gt;{n}&lt;/b&gt;</source>
        <translation>{file} 中被拒收的行：&lt;b&gt;{n}&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/data.py" line="483"/>
        <source>No rejected rows in {file}: every row was imported or recognised as a duplicate.</source>
        <translation>{file} 没有被拒收的行：每一行都已导入或被认出是重复行。</translation>
    </message>
</context>
<context>
    <name>Events</name>
    <message>
        <location filename="../../desktop/texts.py" line="338"/>
        <source>purchase</source>
        <translation>购买</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="339"/>
        <source>view</source>
        <translation>浏览</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="340"/>
        <source>add to cart</source>
        <translation>加购</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="341"/>
        <source>saved</source>
        <translation>收藏</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="342"/>
        <source>rating</source>
        <translation>评分</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="343"/>
        <source>return</source>
        <translation>退货</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="349"/>
        <source>{n} purchases</source>
        <extracomment>&quot;3 views&quot; — counted events, used in activity summaries</extracomment>
        <translation>购买 {n} 次</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="350"/>
        <source>{n} views</source>
        <translation>浏览 {n} 次</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="351"/>
        <source>{n} adds to cart</source>
        <translation>加购 {n} 次</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="352"/>
        <source>{n} saves</source>
        <translation>收藏 {n} 次</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="353"/>
        <source>{n} ratings</source>
        <translation>评分 {n} 次</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="354"/>
        <source>{n} returns</source>
        <translation>退货 {n} 次</translation>
    </message>
</context>
<context>
    <name>ExportTab</name>
    <message>
        <location filename="../../desktop/tabs/export.py" line="56"/>
        <location filename="../../desktop/tabs/export.py" line="64"/>
        <location filename="../../desktop/tabs/export.py" line="108"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="59"/>
        <source>Write the lists for your shop or e-mail tool</source>
        <translation>为店铺或邮件工具导出清单</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="65"/>
        <source>Write the lists as a file your shop, spreadsheet or e-mail tool can import. Cells a spreadsheet would run as a formula are made harmless.</source>
        <translation>把清单保存成店铺、电子表格或邮件工具可以导入的文件。会被电子表格当作公式执行的单元格会被处理为无害内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="82"/>
        <source>Which lists to write: those of a learned method</source>
        <translation>导出哪份清单：某个已学习方法的清单</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="85"/>
        <source>Lists from</source>
        <translation>清单来源</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="88"/>
        <source>all stored</source>
        <translation>全部已保存的</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="89"/>
        <source>At most this many items per customer</source>
        <translation>每位顾客最多这么多件商品</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="90"/>
        <source>Items per customer</source>
        <translation>每位顾客的商品数</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="93"/>
        <source>https://your-shop.example (optional, for product links)</source>
        <translation>https://your-shop.example（可选，用于商品链接）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="94"/>
        <source>Shop address</source>
        <translation>店铺网址</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="97"/>
        <source>Where to write the file</source>
        <translation>文件保存位置</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="101"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="105"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="110"/>
        <source>Write the file (Ctrl+S)</source>
        <translation>保存文件（Ctrl+S）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="113"/>
        <source>Show folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="114"/>
        <source>Open the folder the file was written to</source>
        <translation>打开文件所在的文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="154"/>
        <source>for {platform}</source>
        <translation>适用于 {platform}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="174"/>
        <source>Works from the imported orders alone; nothing needs to be learned first.</source>
        <translation>只用导入的订单即可生成；无需先学习。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="194"/>
        <source>Export to</source>
        <translation>导出到</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="195"/>
        <source>{kind} files (*.{ext});;All files (*)</source>
        <translation>{kind} 文件 (*.{ext});;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="211"/>
        <source>No lists yet: let ShopRec learn in the Recommendations tab first; the lists for every customer are then stored and can be written here.</source>
        <translation>还没有清单：请先在“推荐”页让 ShopRec 学习；之后每位顾客的清单都会保存下来，可以在这里导出。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="215"/>
        <source>These lists are empty for everyone: no item passed the filter. In Recommendations, switch the filter off and press “Use these settings for all customers”, then export.</source>
        <translation>这些清单对所有人都是空的：没有商品通过筛选。请在“推荐”页关闭筛选，点“把这些设置用于所有顾客”，再导出。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="228"/>
        <source>No export formats are installed (see Help → Plugins).</source>
        <translation>没有安装导出格式（见 帮助 → 插件）。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="232"/>
        <source>No data yet.

Import your shop&apos;s exports in the Data tab and let ShopRec learn; then write the lists here.</source>
        <translation>还没有数据。

请在“数据”页导入店铺的导出文件并让 ShopRec 学习；然后在这里导出清单。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="245"/>
        <source>{strategy} — {when} (run {run}, {n} customers)</source>
        <translation>{strategy} — {when}（第 {run} 次，{n} 位顾客）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="269"/>
        <source>Choose where to write the file.</source>
        <translation>请选择文件保存位置。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="273"/>
        <source>{path} is a folder; choose a file name.</source>
        <translation>{path} 是文件夹；请选择文件名。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="288"/>
        <source>Writing {file}…</source>
        <translation>正在写入 {file}…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="291"/>
        <source>Export cancelled; {file} was not written.</source>
        <translation>导出已取消；没有写入 {file}。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="297"/>
        <source>Wrote {rows} rows for {n} customers to {path} in {seconds} s.</source>
        <translation>已为 {n} 位顾客写入 {rows} 行到 {path}，用时 {seconds} 秒。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="299"/>
        <source>Wrote {rows} rows to {path} in {seconds} s.</source>
        <translation>已写入 {rows} 行到 {path}，用时 {seconds} 秒。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="305"/>
        <source>customers&apos; shared views, carts and orders</source>
        <translation>顾客共同的浏览、加购和订单</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="306"/>
        <source>Related items from {source}.</source>
        <translation>相关商品来自：{source}。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/export.py" line="310"/>
        <source>Exported {file}</source>
        <translation>已导出 {file}</translation>
    </message>
</context>
<context>
    <name>Exporters</name>
    <message>
        <location filename="../../desktop/texts.py" line="287"/>
        <source>Lists for a spreadsheet (CSV)</source>
        <translation>清单（电子表格 CSV）</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="288"/>
        <source>One row per suggested product: customer, e-mail, rank, product, title, chance and reason. Opens correctly in Excel.</source>
        <translation>每件推荐商品一行：顾客、邮箱、名次、商品、名称、可能性和理由。可在 Excel 中正常打开。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="291"/>
        <source>Lists as an Excel workbook</source>
        <translation>清单（Excel 工作簿）</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="292"/>
        <source>Every customer&apos;s list, with a sheet that describes how it was made.</source>
        <translation>所有顾客的清单，另附一张说明生成方式的工作表。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="294"/>
        <source>Lists for programs (JSON)</source>
        <translation>清单（供程序使用的 JSON）</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="295"/>
        <source>Every customer&apos;s list in one file for scripts and other programs.</source>
        <translation>所有顾客的清单放在一个文件里，供脚本和其他程序使用。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="297"/>
        <source>E-mail tool feed</source>
        <translation>邮件营销工具数据</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="298"/>
        <source>One row per customer with an e-mail address and five product slots, for Klaviyo, Mailchimp or Brevo.</source>
        <translation>每位有邮箱的顾客一行，含五个商品位，供 Klaviyo、Mailchimp 或 Brevo 使用。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="302"/>
        <source>Shopify related products</source>
        <translation>Shopify 相关商品</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="303"/>
        <source>A products file for Shopify that fills related and complementary products.</source>
        <translation>供 Shopify 导入的商品文件，填写相关商品和搭配商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="306"/>
        <source>WooCommerce upsells and cross-sells</source>
        <translation>WooCommerce 追加销售和交叉销售</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="307"/>
        <source>A product file for WooCommerce, matched by SKU, that fills upsells and cross-sells.</source>
        <translation>供 WooCommerce 导入的商品文件，按 SKU 匹配，填写追加销售和交叉销售。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="310"/>
        <source>Magento related products</source>
        <translation>Magento 相关商品</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="311"/>
        <source>A catalogue import file for Magento 2 with related, cross-sell and up-sell products.</source>
        <translation>供 Magento 2 导入的商品目录文件，含相关商品、交叉销售和向上销售。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="314"/>
        <source>Frequently bought together</source>
        <translation>经常一起购买</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="315"/>
        <source>For each product, the products most often in the same order, and how much more often than by chance.</source>
        <translation>每件商品最常同单购买的商品，以及比随机情况高出多少。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="321"/>
        <source>scripts and other programs</source>
        <extracomment>who an exporter&apos;s file is for, where the plugin says it in words rather than product names</extracomment>
        <translation>脚本和其他程序</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="322"/>
        <source>Excel and shop apps</source>
        <translation>Excel 和店铺应用</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="399"/>
        <source>Audience for a spreadsheet (CSV)</source>
        <extracomment>Campaign audience files, by exporter name: (title, description).</extracomment>
        <translation>受众名单（CSV 表格）</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="400"/>
        <source>The customers who get the e-mail: address, name, chance, reason and the products to show.</source>
        <translation>收到邮件的顾客：邮箱、姓名、购买可能性、原因和要展示的商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="402"/>
        <source>Klaviyo list</source>
        <translation>Klaviyo 名单</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="403"/>
        <source>Import into a new Klaviyo list; the products become properties the e-mail template shows.</source>
        <translation>导入到新的 Klaviyo 名单；商品会成为邮件模板可显示的属性。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="405"/>
        <source>Mailchimp audience</source>
        <translation>Mailchimp 受众</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="406"/>
        <source>Import into your Mailchimp audience with a tag; the products become merge fields.</source>
        <translation>带标签导入到您的 Mailchimp 受众；商品会成为合并字段。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="408"/>
        <source>Shopify Email customers</source>
        <translation>Shopify 邮件（顾客导入）</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="409"/>
        <source>Import as customers in Shopify to tag who gets the e-mail, then send to that tag.</source>
        <translation>作为顾客导入 Shopify，为收邮件的顾客打上标签，然后发送给该标签。</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <location filename="../../desktop/texts.py" line="457"/>
        <source>customer id</source>
        <extracomment>import fields (core.importing.FIELDS) in plain words, for the column mapping</extracomment>
        <translation>顾客编号</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="458"/>
        <source>customer e-mail</source>
        <translation>顾客邮箱</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="459"/>
        <source>customer name</source>
        <translation>顾客姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="460"/>
        <source>first name</source>
        <translation>名</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="461"/>
        <source>last name</source>
        <translation>姓</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="462"/>
        <source>product id</source>
        <translation>商品编号</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="463"/>
        <source>SKU (stock code)</source>
        <translation>SKU（库存编码）</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="464"/>
        <source>product name</source>
        <translation>商品名称</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="465"/>
        <source>product description</source>
        <translation>商品描述</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="466"/>
        <source>category</source>
        <translation>类目</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="467"/>
        <source>unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="468"/>
        <source>line total</source>
        <translation>行金额</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="469"/>
        <source>currency</source>
        <translation>币种</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="470"/>
        <source>stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="471"/>
        <source>on sale (yes/no)</source>
        <translation>是否在售</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="472"/>
        <source>brand or vendor</source>
        <translation>品牌或供应商</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="473"/>
        <source>variant of product</source>
        <translation>所属商品（变体）</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="474"/>
        <source>link</source>
        <translation>链接</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="475"/>
        <source>variant option (e.g. size)</source>
        <translation>变体选项（如尺码）</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="476"/>
        <source>quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="477"/>
        <source>kind of event</source>
        <translation>行为类型</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="478"/>
        <source>date and time</source>
        <translation>日期和时间</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="479"/>
        <source>time of day</source>
        <translation>时刻</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="480"/>
        <source>order number</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="481"/>
        <source>rating</source>
        <translation>评分</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="482"/>
        <source>order status</source>
        <translation>订单状态</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="483"/>
        <source>cancelled on</source>
        <translation>取消日期</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="484"/>
        <source>products of the order in one cell</source>
        <translation>整单商品写在一个单元格里</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="485"/>
        <source>not imported</source>
        <translation>不导入</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <location filename="../../desktop/models.py" line="34"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop/models.py" line="35"/>
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>Formats</name>
    <message>
        <location filename="../../desktop/texts.py" line="491"/>
        <source>Shopify orders export</source>
        <extracomment>import format titles (plugins name them; product names stay as they are)</extracomment>
        <translation>Shopify 订单导出</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="492"/>
        <source>Shopify products export</source>
        <translation>Shopify 商品导出</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="493"/>
        <source>Shopify customers export</source>
        <translation>Shopify 顾客导出</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="494"/>
        <source>WooCommerce product export</source>
        <translation>WooCommerce 商品导出</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="495"/>
        <source>WooCommerce orders (line items)</source>
        <translation>WooCommerce 订单（明细行）</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="496"/>
        <source>WooCommerce Analytics orders</source>
        <translation>WooCommerce Analytics 订单</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="497"/>
        <source>Square item sales</source>
        <translation>Square 商品销售</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="498"/>
        <source>Etsy sold order items</source>
        <translation>Etsy 已售订单明细</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="499"/>
        <source>PrestaShop orders list</source>
        <translation>PrestaShop 订单列表</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="500"/>
        <source>PrestaShop order details</source>
        <translation>PrestaShop 订单明细</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="501"/>
        <source>Magento catalog export</source>
        <translation>Magento 商品目录导出</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="502"/>
        <source>MovieLens ratings</source>
        <translation>MovieLens 评分</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="503"/>
        <source>MovieLens movies</source>
        <translation>MovieLens 电影</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="504"/>
        <source>MovieLens 100k movies (u.item)</source>
        <translation>MovieLens 100k 电影（u.item）</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="505"/>
        <source>Taobao UserBehavior log</source>
        <translation>淘宝用户行为日志</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="506"/>
        <source>Item sequences (one customer per line)</source>
        <translation>商品序列（每行一位顾客）</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="507"/>
        <source>Generic event log</source>
        <translation>通用行为记录</translation>
    </message>
</context>
<context>
    <name>ImportPreviewDialog</name>
    <message>
        <location filename="../../desktop/import_preview.py" line="75"/>
        <source>Import shop exports</source>
        <translation>导入店铺导出文件</translation>
    </message>
    <message>
        <location filename="../../desktop/import_preview.py" line="85"/>
        <source>Check how your files will be read. Each column&apos;s drop-down says what it holds; change one if ShopRec guessed wrong.</source>
        <extracomment>per file: (format name or None, user mapping {column: field})</extracomment>
        <translation>请核对文件将如何读取。每列上方的下拉框表示这一列的内容；如果 ShopRec 猜错了，请改过来。</translation>
    </message>
    <message>
        <location filename="../../desktop/import_preview.py" line="94"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../desktop/import_preview.py" line="96"/>
        <source>Detect automatically</source>
        <translation>自动识别</translation>
    </message>
    <message>
        <location filename="../../desktop/import_preview.py" line="100"/>
        <source>Layout</source>
        <translation>文件格式</translation>
    </message>
    <message>
        <location filename="../../desktop/import_preview.py" line="114"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../desktop/import_preview.py" line="116"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/import_preview.py" line="144"/>
        <source>Layout: &lt;b&gt;{format}&lt;/b&gt;</source>
        <translation>文件格式：&lt;b&gt;{format}&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop/import_preview.py" line="146"/>
        <source>Encoding: &lt;b&gt;{encoding}&lt;/b&gt;</source>
        <translation>编码：&lt;b&gt;{encoding}&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop/import_preview.py" line="150"/>
        <source>Separator: &lt;b&gt;{sep}&lt;/b&gt;</source>
        <translation>分隔符：&lt;b&gt;{sep}&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop/import_preview.py" line="151"/>
        <source>Tab</source>
        <translation>制表符</translation>
    </message>
    <message>
        <location filename="../../desktop/import_preview.py" line="157"/>
        <source>This file cannot be read this way: {error}</source>
        <translation>无法按这种方式读取这个文件：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/import_preview.py" line="159"/>
        <source>Choose what the columns hold, or the layout above.</source>
        <translation>请指定各列的内容，或在上方选择文件格式。</translation>
    </message>
    <message>
        <location filename="../../desktop/import_preview.py" line="178"/>
        <source>What column “{name}” holds</source>
        <translation>“{name}”这一列的内容</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/main_window.py" line="117"/>
        <location filename="../../desktop/main_window.py" line="435"/>
        <source>Offline · nothing leaves this computer</source>
        <translation>离线 · 数据不会离开这台电脑</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="119"/>
        <source>ShopRec works entirely on this computer: no account, no upload, no download.</source>
        <translation>ShopRec 完全在这台电脑上运行：无需账号，不上传，也不下载。</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="124"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="125"/>
        <source>&amp;New workspace…</source>
        <translation>新建工作区(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="127"/>
        <source>&amp;Open workspace…</source>
        <translation>打开工作区(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="129"/>
        <source>Open the &amp;demo shop</source>
        <translation>打开示例店铺(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="132"/>
        <source>&amp;Import files…</source>
        <translation>导入文件(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="134"/>
        <source>&amp;Export lists…</source>
        <translation>导出清单(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="137"/>
        <source>&amp;Preferences…</source>
        <translation>偏好设置(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="145"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="150"/>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="151"/>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="154"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="155"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>快捷键(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="156"/>
        <source>&amp;Plugins…</source>
        <translation>插件(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="157"/>
        <source>Open &amp;log folder</source>
        <translation>打开日志文件夹(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="159"/>
        <source>&amp;About ShopRec</source>
        <translation>关于 ShopRec(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="249"/>
        <source>Could not show {tab}: {error}</source>
        <translation>无法显示“{tab}”：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="280"/>
        <source>The workspace file: all of this shop&apos;s data and what ShopRec learned</source>
        <translation>工作区文件：这家店铺的全部数据和 ShopRec 的学习结果</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="284"/>
        <source>Import shop exports</source>
        <translation>导入店铺导出文件</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="285"/>
        <source>Shop exports (*.csv *.tsv *.txt *.dat);;All files (*)</source>
        <translation>店铺导出文件 (*.csv *.tsv *.txt *.dat);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="326"/>
        <location filename="../../desktop/main_window.py" line="405"/>
        <source>Wait for the running work to finish first.</source>
        <translation>请先等待正在进行的工作完成。</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="331"/>
        <source>Could not open {path}: {error}</source>
        <translation>无法打开 {path}：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="337"/>
        <source>Opened {path}</source>
        <translation>已打开 {path}</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="351"/>
        <source>Open workspace</source>
        <translation>打开工作区</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="352"/>
        <location filename="../../desktop/main_window.py" line="359"/>
        <source>ShopRec workspace (*.shoprec *.sqlite *.db);;All files (*)</source>
        <translation>ShopRec 工作区 (*.shoprec *.sqlite *.db);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="358"/>
        <source>New workspace</source>
        <translation>新建工作区</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="367"/>
        <source>Import files</source>
        <translation>导入文件</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="367"/>
        <source>Go to a tab</source>
        <translation>切换到某个页面</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="368"/>
        <source>Search customers (Customers tab)</source>
        <translation>搜索顾客（“顾客”页）</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="369"/>
        <source>Learn (Recommendations tab)</source>
        <translation>学习（“推荐”页）</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="369"/>
        <source>Compare the ticked methods</source>
        <translation>比较勾选的方法</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="370"/>
        <source>Go to Export; Ctrl+S there writes the file</source>
        <translation>转到“导出”；在那里按 Ctrl+S 保存文件</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="371"/>
        <source>Cancel the running work of this tab</source>
        <translation>取消本页正在进行的工作</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="371"/>
        <source>Refresh every tab</source>
        <translation>刷新所有页面</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="372"/>
        <source>Open / create a workspace</source>
        <translation>打开 / 新建工作区</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="372"/>
        <source>Preferences</source>
        <translation>偏好设置</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="372"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="378"/>
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="384"/>
        <source>Plugins</source>
        <translation>插件</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="430"/>
        <source>About ShopRec</source>
        <translation>关于 ShopRec</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="432"/>
        <source>Offline recommendations for small shops.</source>
        <translation>为小店铺提供的离线推荐工具。</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="433"/>
        <source>Your data stay in one workspace file on this computer:</source>
        <translation>您的数据保存在这台电脑上的一个工作区文件里：</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="447"/>
        <source>Stopping running work…</source>
        <translation>正在停止进行中的工作…</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <location filename="../../desktop/widgets.py" line="77"/>
        <source>Details…</source>
        <translation>详情…</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets.py" line="81"/>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets.py" line="115"/>
        <source>ShopRec — details</source>
        <translation>ShopRec — 详情</translation>
    </message>
</context>
<context>
    <name>NonProducts</name>
    <message>
        <location filename="../../desktop/texts.py" line="523"/>
        <source>the name says it is postage, a fee, a discount or a voucher ({detail})</source>
        <extracomment>Why an item is kept out of lists (core.merchandise.REASONS, by kind); {detail} as there.</extracomment>
        <translation>名称表明它是运费、手续费、折扣或代金券（{detail}）</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="525"/>
        <source>the name says it is a fee or voucher, not a product ({detail})</source>
        <translation>名称表明它是费用或代金券，不是商品（{detail}）</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="527"/>
        <source>the name says it is a gift card or voucher</source>
        <translation>名称表明它是礼品卡或代金券</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="528"/>
        <source>a gift card in the products export</source>
        <translation>商品导出文件标明它是礼品卡</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="529"/>
        <source>its price in the catalogue is 0</source>
        <translation>商品目录中的价格为 0</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="530"/>
        <source>all {detail} order lines were at price 0</source>
        <translation>全部 {detail} 条订单行的价格都是 0</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="531"/>
        <source>added to {detail} % of orders but never bought on its own, as postage or a fee is</source>
        <translation>出现在 {detail}% 的订单中，却从不单独购买，就像运费或手续费一样</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="533"/>
        <source>kept out of lists by you</source>
        <translation>已由您排除出推荐清单</translation>
    </message>
</context>
<context>
    <name>ParamsForm</name>
    <message>
        <location filename="../../desktop/forms.py" line="154"/>
        <source>Advanced</source>
        <extracomment>(name, title) of the registered strategies: a text field whose default is a comma-separated list of them is edited as ticks.</extracomment>
        <translation>高级</translation>
    </message>
    <message>
        <location filename="../../desktop/forms.py" line="155"/>
        <source>Settings that rarely need changing</source>
        <translation>很少需要改动的设置</translation>
    </message>
    <message>
        <location filename="../../desktop/forms.py" line="178"/>
        <source>This method has no settings.</source>
        <translation>这种方法没有可调的设置。</translation>
    </message>
    <message>
        <location filename="../../desktop/forms.py" line="248"/>
        <source>(not set)</source>
        <translation>（未设置）</translation>
    </message>
</context>
<context>
    <name>Phases</name>
    <message>
        <location filename="../../desktop/widgets.py" line="46"/>
        <source>Learning again from all the data</source>
        <translation>正在用全部数据再学习一遍</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets.py" line="48"/>
        <source>Learning from your shop&apos;s history</source>
        <translation>正在学习您店铺的历史数据</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets.py" line="50"/>
        <source>Checking the guesses against what customers did</source>
        <translation>正在用顾客的实际行为核对预测</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets.py" line="52"/>
        <source>Preparing every customer&apos;s list</source>
        <translation>正在为每位顾客准备清单</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets.py" line="54"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets.py" line="61"/>
        <source>about {n} min</source>
        <translation>约 {n} 分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets.py" line="62"/>
        <source>about {n} s</source>
        <translation>约 {n} 秒</translation>
    </message>
</context>
<context>
    <name>PluginsTab</name>
    <message>
        <location filename="../../desktop/tabs/plugins.py" line="52"/>
        <location filename="../../desktop/tabs/plugins.py" line="58"/>
        <source>Plugins</source>
        <translation>插件</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/plugins.py" line="59"/>
        <source>Built-in features and installed add-ons work the same way. A plugin that fails is listed with its error; the rest keep working.</source>
        <translation>内置功能和安装的扩展以同样方式工作。出错的插件会连同错误一起列出，其余照常工作。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/plugins.py" line="65"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/plugins.py" line="65"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/plugins.py" line="65"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/plugins.py" line="66"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/plugins.py" line="66"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/plugins.py" line="66"/>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/plugins.py" line="79"/>
        <location filename="../../desktop/tabs/plugins.py" line="97"/>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/plugins.py" line="81"/>
        <source>Switch the selected plugin off (or on again) for this workspace; tabs are rebuilt</source>
        <translation>在本工作区停用（或重新启用）选中的插件；页面会重新生成</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/plugins.py" line="96"/>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/plugins.py" line="107"/>
        <source>Could not switch {name}: {error}</source>
        <translation>无法切换插件 {name}：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/plugins.py" line="110"/>
        <source>Plugin {name} enabled</source>
        <translation>插件 {name} 已启用</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/plugins.py" line="111"/>
        <source>Plugin {name} disabled</source>
        <translation>插件 {name} 已停用</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/plugins.py" line="131"/>
        <source>{n} plugins loaded</source>
        <translation>已加载 {n} 个插件</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/plugins.py" line="134"/>
        <source>{n} failed</source>
        <translation>{n} 个失败</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/plugins.py" line="135"/>
        <source>(hover the error for details)</source>
        <translation>（鼠标停在错误上可看详情）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/plugins.py" line="138"/>
        <source>{n} disabled</source>
        <translation>{n} 个已停用</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/plugins.py" line="139"/>
        <source>No plugins found.</source>
        <translation>没有找到插件。</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <location filename="../../desktop/preferences.py" line="14"/>
        <source>Preferences</source>
        <translation>偏好设置</translation>
    </message>
    <message>
        <location filename="../../desktop/preferences.py" line="18"/>
        <location filename="../../desktop/preferences.py" line="23"/>
        <source>Same as the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../desktop/preferences.py" line="21"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../desktop/preferences.py" line="24"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../desktop/preferences.py" line="24"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../desktop/preferences.py" line="28"/>
        <source>Colours</source>
        <translation>颜色</translation>
    </message>
    <message>
        <location filename="../../desktop/preferences.py" line="29"/>
        <source>Changes apply at once.</source>
        <translation>更改立即生效。</translation>
    </message>
</context>
<context>
    <name>ProgressPanel</name>
    <message>
        <location filename="../../desktop/widgets.py" line="147"/>
        <location filename="../../desktop/widgets.py" line="176"/>
        <source>Cancel</source>
        <extracomment>Turns the core&apos;s progress messages into phases in words (training); None: as sent.</extracomment>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets.py" line="148"/>
        <source>Stop this work; nothing is changed (Esc)</source>
        <translation>停止这项工作；不会做任何改动（Esc）</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets.py" line="169"/>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets.py" line="228"/>
        <source>{elapsed} so far, {left} left</source>
        <translation>已用 {elapsed}，还需{left}</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets.py" line="231"/>
        <source>{elapsed} so far</source>
        <translation>已用 {elapsed}</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets.py" line="238"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>Reasons</name>
    <message>
        <location filename="../../desktop/reasons.py" line="17"/>
        <location filename="../../desktop/reasons.py" line="31"/>
        <source>because you bought %1</source>
        <extracomment>reason code -&gt; sentence; %1 is the history item&apos;s title where the reason names one</extracomment>
        <translation>因为您购买了%1</translation>
    </message>
    <message>
        <location filename="../../desktop/reasons.py" line="18"/>
        <location filename="../../desktop/reasons.py" line="32"/>
        <source>because you looked at %1</source>
        <translation>因为您看过%1</translation>
    </message>
    <message>
        <location filename="../../desktop/reasons.py" line="19"/>
        <location filename="../../desktop/reasons.py" line="33"/>
        <source>because you put %1 in your cart</source>
        <translation>因为您把%1加入了购物车</translation>
    </message>
    <message>
        <location filename="../../desktop/reasons.py" line="20"/>
        <location filename="../../desktop/reasons.py" line="34"/>
        <source>because you saved %1</source>
        <translation>因为您收藏了%1</translation>
    </message>
    <message>
        <location filename="../../desktop/reasons.py" line="21"/>
        <location filename="../../desktop/reasons.py" line="35"/>
        <source>because you rated %1</source>
        <translation>因为您评价过%1</translation>
    </message>
    <message>
        <location filename="../../desktop/reasons.py" line="22"/>
        <source>because you returned %1</source>
        <translation>因为您退回了%1</translation>
    </message>
    <message>
        <location filename="../../desktop/reasons.py" line="23"/>
        <source>because you chose %1</source>
        <translation>因为您选过%1</translation>
    </message>
    <message>
        <location filename="../../desktop/reasons.py" line="24"/>
        <source>similar to %1, which you chose</source>
        <translation>与您选过的%1相似</translation>
    </message>
    <message>
        <location filename="../../desktop/reasons.py" line="25"/>
        <source>you buy this again from time to time</source>
        <translation>您时常回购这件商品</translation>
    </message>
    <message>
        <location filename="../../desktop/reasons.py" line="26"/>
        <source>you looked at this recently</source>
        <translation>您最近看过这件商品</translation>
    </message>
    <message>
        <location filename="../../desktop/reasons.py" line="27"/>
        <source>you put this in your cart</source>
        <translation>您把它加入了购物车</translation>
    </message>
    <message>
        <location filename="../../desktop/reasons.py" line="28"/>
        <source>you saved this</source>
        <translation>您收藏了这件商品</translation>
    </message>
    <message>
        <location filename="../../desktop/reasons.py" line="29"/>
        <source>you rated this</source>
        <translation>您评价过这件商品</translation>
    </message>
    <message>
        <location filename="../../desktop/reasons.py" line="30"/>
        <source>you chose it before</source>
        <translation>您以前选过它</translation>
    </message>
    <message>
        <location filename="../../desktop/reasons.py" line="36"/>
        <source>popular in the shop right now</source>
        <translation>本店近期热销</translation>
    </message>
    <message>
        <location filename="../../desktop/reasons.py" line="37"/>
        <source>popular with customers like you</source>
        <translation>与您相似的顾客都喜欢</translation>
    </message>
    <message>
        <location filename="../../desktop/reasons.py" line="38"/>
        <source>popular: chosen by %1 customers</source>
        <translation>热门：%1 位顾客选过</translation>
    </message>
    <message>
        <location filename="../../desktop/reasons.py" line="39"/>
        <source>new in the shop</source>
        <translation>店里的新品</translation>
    </message>
    <message>
        <location filename="../../desktop/reasons.py" line="40"/>
        <source>this product has no text to compare</source>
        <translation>这件商品没有可比较的文字</translation>
    </message>
</context>
<context>
    <name>RecommendationsTab</name>
    <message>
        <location filename="../../desktop/tabs/recommendations.py" line="40"/>
        <source>Recommendations</source>
        <translation>推荐</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/recommendations.py" line="43"/>
        <source>Choose how lists are made, let ShopRec learn, and read each customer&apos;s list</source>
        <translation>选择清单的生成方法，让 ShopRec 学习，并查看每位顾客的清单</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/recommendations.py" line="52"/>
        <source>How to choose products</source>
        <translation>如何挑选商品</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/recommendations.py" line="53"/>
        <source>Pick a method; each learns from your shop&apos;s own history. Compare them in the Compare tab.</source>
        <translation>选一种方法；每种方法都从您店铺自己的历史中学习。可在“比较”页对比它们。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/recommendations.py" line="62"/>
        <source>No methods are installed (see Help → Plugins).</source>
        <translation>没有安装任何方法（见 帮助 → 插件）。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/recommendations.py" line="105"/>
        <source>★ recommended</source>
        <translation>★ 推荐</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/recommendations.py" line="107"/>
        <source>✓ learned</source>
        <translation>✓ 已学习</translation>
    </message>
</context>
<context>
    <name>Segments</name>
    <message>
        <location filename="../../desktop/texts.py" line="326"/>
        <source>best customer</source>
        <translation>最佳顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="327"/>
        <source>loyal</source>
        <translation>忠实顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="328"/>
        <source>at risk of leaving</source>
        <translation>可能流失</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="329"/>
        <source>new</source>
        <translation>新顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="330"/>
        <source>promising</source>
        <translation>有潜力</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="331"/>
        <source>asleep</source>
        <translation>沉睡顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="332"/>
        <source>big spender drifting away</source>
        <translation>正在疏远的大顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="333"/>
        <source>needs attention</source>
        <translation>需要关注</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="334"/>
        <source>no history</source>
        <translation>无历史记录</translation>
    </message>
</context>
<context>
    <name>SendHoldoutChart</name>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="59"/>
        <source>E-mailed</source>
        <translation>收到邮件</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="59"/>
        <source>Held back</source>
        <translation>留出</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../../desktop/texts.py" line="68"/>
        <source>Older activity counts half after (days)</source>
        <extracomment>parameter name (or &quot;strategy.parameter&quot;) -&gt; (plain label, what changes for the shop)</extracomment>
        <translation>旧行为减半所需天数</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="69"/>
        <source>After this many days a visit or purchase counts half as much. 0: every event counts the same.</source>
        <translation>过了这么多天，一次浏览或购买只算一半分量。0：每条行为都一样重要。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="72"/>
        <source>Weight of a product view</source>
        <translation>浏览商品的分量</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="73"/>
        <source>How much looking at a product counts compared with buying it.</source>
        <translation>浏览商品相对于购买它的分量。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="76"/>
        <source>Model size</source>
        <translation>模型大小</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="77"/>
        <source>Bigger can learn finer habits but learns more slowly.</source>
        <translation>越大越能学到细微的习惯，但学得越慢。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="79"/>
        <source>Model depth</source>
        <translation>模型层数</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="80"/>
        <source>More layers can learn more complex habits; slower.</source>
        <translation>层数越多越能学到复杂的习惯，但更慢。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="82"/>
        <source>Attention heads</source>
        <translation>注意力头数</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="83"/>
        <source>A technical detail (it must divide the model size); leave it as it is.</source>
        <translation>技术细节（必须能整除模型大小）；保持不变即可。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="86"/>
        <source>Events read per customer</source>
        <translation>每位顾客读取的行为数</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="87"/>
        <source>How many of each customer&apos;s latest events the model reads.</source>
        <translation>模型读取每位顾客最近多少条行为。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="89"/>
        <source>Guard against memorising</source>
        <translation>防止死记硬背</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="90"/>
        <source>Higher values stop the model learning the past by heart; leave it as it is.</source>
        <translation>数值越高，模型越不会死记过去的数据；保持不变即可。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="93"/>
        <source>Way of learning</source>
        <translation>学习方式</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="94"/>
        <source>Automatic picks the best way for the size of your shop.</source>
        <translation>选“自动”会按店铺规模挑选最合适的方式。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="96"/>
        <source>Products compared per step</source>
        <translation>每步比较的商品数</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="97"/>
        <source>How many other products each guess is compared with while learning; more is slower.</source>
        <translation>学习时每次预测要和多少件其他商品比较；越多越慢。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="100"/>
        <source>Learning speed</source>
        <translation>学习速度</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="101"/>
        <source>How big each learning step is; leave it as it is.</source>
        <translation>每一步学习的幅度；保持不变即可。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="103"/>
        <source>Histories per step</source>
        <translation>每步学习的历史数</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="104"/>
        <source>How many customer histories are learned at once; larger needs more memory. A small shop learns fewer at once (down to 16), so that it learns more often.</source>
        <translation>一次学习多少位顾客的历史；越大越占内存。小店铺一次学得少一些（最少 16 位），这样学习的次数更多。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="108"/>
        <source>Most learning rounds</source>
        <translation>最多学习轮数</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="109"/>
        <source>Learning stops earlier once the lists stop getting better.</source>
        <translation>清单不再变好时会提前停止。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="112"/>
        <source>Events learned from</source>
        <translation>学习用的行为</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="113"/>
        <source>Latest events only (faster) or each customer&apos;s whole history.</source>
        <translation>只用最近的行为（更快），或用每位顾客的全部历史。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="116"/>
        <source>Rounds without progress before stopping</source>
        <translation>无进步多少轮后停止</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="117"/>
        <source>Learning stops after this many rounds that brought no better lists.</source>
        <translation>连续这么多轮清单没有变好，就停止学习。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="120"/>
        <source>Time limit (minutes)</source>
        <translation>时间上限（分钟）</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="121"/>
        <location filename="../../desktop/texts.py" line="125"/>
        <source>Learning stops after this long and keeps the best model so far.</source>
        <translation>到这个时间就停止学习，并保留目前最好的模型。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="124"/>
        <source>Time limit (seconds)</source>
        <translation>时间上限（秒）</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="128"/>
        <location filename="../../desktop/texts.py" line="132"/>
        <source>Read product texts</source>
        <translation>读取商品文字</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="129"/>
        <source>Use product names and descriptions: automatic, the English text model, word matching (any language) or off.</source>
        <translation>使用商品名称和描述：自动、英文文本模型、词语匹配（任何语言）或关闭。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="133"/>
        <source>Use product names and descriptions when the catalogue has them.</source>
        <translation>商品目录中有名称和描述时就使用它们。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="136"/>
        <source>Use event details</source>
        <translation>使用行为细节</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="137"/>
        <source>Use the kind of event, the quantity and the time between visits.</source>
        <translation>使用行为类型、数量和两次访问之间的时间。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="140"/>
        <source>Suggest repeat purchases</source>
        <translation>推荐回购商品</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="141"/>
        <source>Let products a customer had recently come back in their list (reorders, or viewed and then bought).</source>
        <translation>让顾客最近接触过的商品重新出现在清单里（回购，或看过后再买）。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="144"/>
        <source>Learn to suggest only new products</source>
        <translation>学习时只推荐新商品</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="145"/>
        <source>While learning, each guess is made among the products the customer has not had yet, as their list is. Not used when repeat purchases are suggested.</source>
        <translation>学习时，每次只在顾客还没有买过的商品中猜下一件，与推荐清单的做法一致。建议回购商品时不使用。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="149"/>
        <location filename="../../desktop/texts.py" line="153"/>
        <source>Smoothing</source>
        <translation>平滑程度</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="150"/>
        <location filename="../../desktop/texts.py" line="154"/>
        <source>Higher values favour popular products; automatic finds the right value on your data.</source>
        <translation>数值越高越偏向热门商品；选“自动”会根据您的数据找出合适的值。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="157"/>
        <source>Time for finding the best settings (seconds)</source>
        <translation>寻找最佳设置的时间（秒）</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="158"/>
        <source>How long to try settings on your data; automatic scales with the size of your shop.</source>
        <translation>在您的数据上尝试设置的时长；选“自动”会按店铺规模调整。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="161"/>
        <source>Detail of each taste</source>
        <translation>口味刻画的细致程度</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="162"/>
        <source>Bigger describes tastes more finely; slower.</source>
        <translation>越大对口味的刻画越细，但更慢。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="164"/>
        <source>Weight of repeated activity</source>
        <translation>重复行为的分量</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="165"/>
        <source>How much more a repeated visit or purchase counts; automatic finds it.</source>
        <translation>重复浏览或购买多算多少分量；选“自动”会自行找出。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="168"/>
        <location filename="../../desktop/texts.py" line="227"/>
        <source>Learning rounds</source>
        <translation>学习轮数</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="169"/>
        <source>More rounds learn more precisely; slower.</source>
        <translation>轮数越多学得越准，但更慢。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="171"/>
        <source>Steps per round</source>
        <translation>每轮步数</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="172"/>
        <source>A technical detail; leave it as it is.</source>
        <translation>技术细节；保持不变即可。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="174"/>
        <source>Similar products kept per product</source>
        <translation>每件商品保留的相似商品数</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="175"/>
        <source>Automatic finds the best number on your data.</source>
        <translation>选“自动”会根据您的数据找出最合适的数量。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="177"/>
        <source>Caution with rare pairs</source>
        <translation>谨慎对待少见的组合</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="178"/>
        <source>Trust less the pairs that few customers share; automatic finds it.</source>
        <translation>对只有少数顾客共同买过的组合少信一点；选“自动”会自行找出合适的值。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="181"/>
        <source>Favour popular products</source>
        <translation>偏向热门商品</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="182"/>
        <source>0.5 is neutral; higher values favour popular products.</source>
        <translation>0.5 为中性；数值越高越偏向热门商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="184"/>
        <source>Text model</source>
        <translation>文本模型</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="185"/>
        <source>Automatic: the built-in English model for Latin letters, word matching for other languages; or the folder of a model on this computer (e.g. a Chinese one).</source>
        <translation>自动：拉丁字母文字用内置英文模型，其他语言用词语匹配；也可以填写本机上某个模型的文件夹（例如中文模型）。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="189"/>
        <source>Recent activity counts more</source>
        <translation>近期行为更重要</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="190"/>
        <source>An interaction this many steps back counts half as much; automatic finds it.</source>
        <translation>往前数这么多步的行为只算一半分量；选“自动”会自行找出合适的值。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="193"/>
        <source>Recent purchases count more</source>
        <translation>近期购买更重要</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="194"/>
        <source>A purchase this many purchases back counts half as much.</source>
        <translation>往前数这么多次的购买只算一半分量。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="197"/>
        <source>Interactions remembered</source>
        <translation>记住的互动次数</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="198"/>
        <source>How many of the latest interactions describe the customer.</source>
        <translation>用最近多少次互动来描述这位顾客。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="201"/>
        <source>Mix in best sellers</source>
        <translation>混入畅销商品</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="202"/>
        <source>0: texts only, so new products compete on equal terms.</source>
        <translation>0：只看文字，新商品可以平等竞争。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="204"/>
        <source>Weight: next visit</source>
        <translation>分量：下一次浏览</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="205"/>
        <source>How much guessing the next product of any kind counts.</source>
        <translation>预测下一件商品（任何行为）所占的分量。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="207"/>
        <source>Weight: next purchase</source>
        <translation>分量：下一次购买</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="208"/>
        <source>How much guessing the next purchase counts.</source>
        <translation>预测下一次购买所占的分量。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="210"/>
        <source>Weight: next category</source>
        <translation>分量：下一个类目</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="211"/>
        <source>How much guessing the next category counts.</source>
        <translation>预测下一个类目所占的分量。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="213"/>
        <source>Weight: ratings</source>
        <translation>分量：评分</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="214"/>
        <source>How much guessing ratings counts (where there are any).</source>
        <translation>预测评分所占的分量（有评分时）。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="216"/>
        <source>Events looked back from a purchase</source>
        <translation>购买前回看的行为数</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="217"/>
        <source>1: only the event just before it; 0: any distance.</source>
        <translation>1：只看购买前的最后一条行为；0：不限距离。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="219"/>
        <source>Extra signals</source>
        <translation>额外信号</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="220"/>
        <source>Automatic: only where they beat the plain predictor on customers held back from learning; single: never; multi: always.</source>
        <translation>自动：仅当它们在留出的顾客上胜过基本预测时才使用；单一：从不使用；多项：始终使用。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="224"/>
        <source>Rank by</source>
        <translation>排序依据</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="225"/>
        <source>Next purchase, next visit of any kind, or automatic.</source>
        <translation>下一次购买、下一次任意行为，或自动。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="228"/>
        <source>Automatic stops once the lists stop getting better.</source>
        <translation>选“自动”会在清单不再变好时停止。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="230"/>
        <source>Least share of orders</source>
        <translation>最低订单占比</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="231"/>
        <source>A pair must be in at least this share of all orders.</source>
        <translation>两件商品同时出现的订单至少要占全部订单的这个比例。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="233"/>
        <source>Least chance of the second product</source>
        <translation>第二件商品的最低出现概率</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="234"/>
        <source>Of the orders with the first product, at least this share must hold the second.</source>
        <translation>含第一件商品的订单中，至少要有这个比例也含第二件。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="237"/>
        <source>Least lift</source>
        <translation>最低提升度</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="238"/>
        <source>How much more often together than by chance; 1 = chance.</source>
        <translation>一起购买的频率比随机高出多少；1 表示与随机相同。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="240"/>
        <source>Least orders together</source>
        <translation>最少同单次数</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="241"/>
        <source>A pair must be in at least this many orders.</source>
        <translation>两件商品至少要同时出现在这么多笔订单里。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="243"/>
        <source>Pairs kept per product</source>
        <translation>每件商品保留的搭配数</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="244"/>
        <source>At most this many partners per product.</source>
        <translation>每件商品最多保留这么多搭配商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="246"/>
        <source>Recent purchases used</source>
        <translation>使用的近期购买数</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="247"/>
        <source>A customer&apos;s list is built from this many latest purchases.</source>
        <translation>用顾客最近这么多次购买来生成清单。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="250"/>
        <source>One visit within (hours)</source>
        <translation>同一次购物的间隔（小时）</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="251"/>
        <source>Without order numbers, a customer&apos;s events this close count as one order.</source>
        <translation>没有订单号时，同一位顾客间隔这么近的行为算作一笔订单。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="254"/>
        <source>Largest order</source>
        <translation>最大订单</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="255"/>
        <source>Longer orders are split into pieces of this size.</source>
        <translation>更长的订单会按这个大小拆开。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="257"/>
        <source>Methods to mix</source>
        <translation>要混合的方法</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="258"/>
        <source>Tick the methods to combine; missing or failing ones are skipped.</source>
        <translation>勾选要组合的方法；缺失或出错的会被跳过。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="261"/>
        <source>Settings of the mixed methods</source>
        <translation>被混合方法的设置</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="262"/>
        <source>For experts: NAME.SETTING=VALUE pairs separated by &apos;;&apos;.</source>
        <translation>供专家使用：名称.设置=值，多项之间用“;”分隔。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="264"/>
        <source>Relearn on all data at the end</source>
        <translation>最后用全部数据重新学习</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="265"/>
        <source>Better lists, takes longer.</source>
        <translation>清单更好，但耗时更长。</translation>
    </message>
</context>
<context>
    <name>StartTab</name>
    <message>
        <location filename="../../desktop/tabs/start.py" line="37"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/start.py" line="40"/>
        <source>Begin here: the demo shop, your own exports, or a saved workspace</source>
        <translation>从这里开始：示例店铺、您自己的导出文件，或已保存的工作区</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/start.py" line="45"/>
        <source>Welcome to ShopRec</source>
        <translation>欢迎使用 ShopRec</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/start.py" line="46"/>
        <source>Suggest the right products to each of your customers, learned from your shop&apos;s own exports. Everything stays on this computer.</source>
        <translation>根据您店铺自己的导出数据，为每位顾客推荐合适的商品。所有数据都留在这台电脑上。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/start.py" line="55"/>
        <source>Open the demo shop</source>
        <translation>打开示例店铺</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/start.py" line="56"/>
        <source>Import my shop&apos;s exports…</source>
        <translation>导入我店铺的导出文件…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/start.py" line="57"/>
        <source>Open a workspace…</source>
        <translation>打开工作区…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/start.py" line="59"/>
        <source>A made-up shop with products, customers and orders, to try everything first. It gets its own workspace.</source>
        <translation>一家虚构的店铺，有商品、顾客和订单，先用它把功能都试一遍。它使用单独的工作区。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/start.py" line="61"/>
        <source>Orders, products or customers exported from Shopify, WooCommerce, Square, Etsy, PrestaShop, Magento or a plain list. You can also drop the files anywhere on this window.</source>
        <translation>从 Shopify、WooCommerce、Square、Etsy、PrestaShop、Magento 导出的订单、商品或顾客文件，或普通列表。也可以把文件拖到窗口任意位置。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/start.py" line="64"/>
        <source>A ShopRec workspace file saved before (.shoprec).</source>
        <translation>以前保存的 ShopRec 工作区文件（.shoprec）。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/start.py" line="85"/>
        <source>Recent workspaces</source>
        <translation>最近的工作区</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/start.py" line="88"/>
        <source>Double-click to open</source>
        <translation>双击打开</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/start.py" line="90"/>
        <source>None yet: workspaces you open are listed here.</source>
        <translation>暂无：打开过的工作区会列在这里。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/start.py" line="112"/>
        <source>The workspace &lt;b&gt;{name}&lt;/b&gt; is empty: start with the demo shop or your own exports.</source>
        <translation>工作区 &lt;b&gt;{name}&lt;/b&gt; 是空的：请从示例店铺或您自己的导出文件开始。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/start.py" line="117"/>
        <source>&lt;b&gt;{name}&lt;/b&gt;: {customers} customers · {items} products · {events} events</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;：{customers} 位顾客 · {items} 件商品 · {events} 条行为记录</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/start.py" line="122"/>
        <source>Next: open &lt;b&gt;Recommendations&lt;/b&gt; and let ShopRec learn from your shop; then check the lists in &lt;b&gt;Customers&lt;/b&gt;.</source>
        <translation>下一步：打开&lt;b&gt;推荐&lt;/b&gt;页，让 ShopRec 学习您的店铺数据；然后到&lt;b&gt;顾客&lt;/b&gt;页查看清单。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/start.py" line="124"/>
        <source>Lists are ready. See them in &lt;b&gt;Customers&lt;/b&gt;, check which method works best in &lt;b&gt;Compare&lt;/b&gt;, and write them out in &lt;b&gt;Export&lt;/b&gt;.</source>
        <translation>清单已就绪。在&lt;b&gt;顾客&lt;/b&gt;页查看，在&lt;b&gt;比较&lt;/b&gt;页看哪种方法最好，在&lt;b&gt;导出&lt;/b&gt;页保存成文件。</translation>
    </message>
</context>
<context>
    <name>Strategies</name>
    <message>
        <location filename="../../desktop/texts.py" line="23"/>
        <source>Next-purchase predictor</source>
        <extracomment>The strategy marked &quot;recommended&quot; in the Recommendations tab (when installed). name -&gt; (plain title, one sentence a shop owner understands)</extracomment>
        <translation>下一单预测</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="24"/>
        <source>Learns the order in which each customer shops and predicts what they will want next. The best lists; takes a few minutes to learn.</source>
        <translation>学习每位顾客的购物先后顺序，预测他们接下来想要什么。清单质量最好，学习需要几分钟。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="28"/>
        <source>Predictor using every signal</source>
        <translation>全信号预测</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="29"/>
        <source>The next-purchase predictor with extra signals (purchases after views, categories, ratings), used only where they prove better on your own customers; otherwise it is the next-purchase predictor.</source>
        <translation>带额外信号（浏览后的购买、类别、评分）的下次购买预测，仅当这些信号在您自己的顾客上证明更好时才使用；否则就是下次购买预测。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="34"/>
        <source>Mix of all methods</source>
        <translation>多方法混合</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="35"/>
        <source>Combines the other methods, giving more weight to the ones that work best for your shop. Slowest to learn.</source>
        <translation>把其他方法组合起来，对您店里效果最好的方法给予更大权重。学习最慢。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="38"/>
        <source>Shoppers like you</source>
        <translation>相似顾客之选</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="39"/>
        <source>Finds what customers with a similar basket chose. Quick and strong for catalogues up to about 40,000 products.</source>
        <translation>找出购物篮相似的顾客选了什么。速度快，适合约 4 万件以内的商品目录。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="42"/>
        <source>Taste groups</source>
        <translation>口味分组</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="43"/>
        <source>Sorts customers and products into tastes; suits very large catalogues.</source>
        <translation>按口味给顾客和商品分组；适合商品非常多的店铺。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="46"/>
        <source>Customers also bought</source>
        <translation>买了又买</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="47"/>
        <source>Customers who bought one product also bought another; every suggestion names the product it comes from.</source>
        <translation>买了这件的顾客也买了那件；每条推荐都会注明是由哪件商品引出的。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="50"/>
        <source>Similar products</source>
        <translation>相似商品</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="51"/>
        <source>For new products and customers with little history: suggests products whose name, category and description resemble what the customer bought, so new products count from day one.</source>
        <translation>适用于新商品和购买记录很少的顾客：推荐名称、类别和描述与顾客已购商品相似的商品，新商品从上架第一天起就能被推荐。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="56"/>
        <source>Bought together</source>
        <translation>经常一起买</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="57"/>
        <source>Products often in the same order as what the customer bought lately.</source>
        <translation>与顾客最近买的商品经常出现在同一订单里的商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="60"/>
        <source>Best sellers</source>
        <translation>畅销榜</translation>
    </message>
    <message>
        <location filename="../../desktop/texts.py" line="61"/>
        <source>What many customers chose lately, the same for everyone. Also used for customers with no history yet.</source>
        <translation>最近很多顾客选择的商品，人人相同。也用于还没有历史记录的顾客。</translation>
    </message>
</context>
<context>
    <name>StrategyTab</name>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="70"/>
        <location filename="../../desktop/tabs/strategy.py" line="384"/>
        <source>graphics card</source>
        <translation>显卡</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="70"/>
        <source>Apple graphics</source>
        <translation>Apple 显卡</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="71"/>
        <location filename="../../desktop/tabs/strategy.py" line="385"/>
        <source>processor</source>
        <translation>处理器</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="72"/>
        <source>Automatic ({target})</source>
        <translation>自动（{target}）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="73"/>
        <source>Processor (CPU)</source>
        <translation>处理器（CPU）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="75"/>
        <source>Graphics card: {name}</source>
        <translation>显卡：{name}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="78"/>
        <source>Apple graphics (MPS)</source>
        <translation>Apple 显卡（MPS）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="122"/>
        <source>Lists for {filled} of {total} customers</source>
        <translation>已为 {total} 位顾客中的 {filled} 位生成清单</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="131"/>
        <source>one round</source>
        <translation>1 遍</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="132"/>
        <source>{n} rounds</source>
        <translation>{n} 遍</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="135"/>
        <source>&lt;b&gt;Learning&lt;/b&gt; used all of its {minutes} min ({rounds} through the history): with more time it may learn more</source>
        <translation>&lt;b&gt;学习&lt;/b&gt;用完了全部 {minutes} 分钟（把购买记录学了 {rounds}）：时间再长一些，它可能学到更多</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="138"/>
        <source>&lt;b&gt;Learning&lt;/b&gt; used all of its time ({rounds} through the history): with more time it may learn more</source>
        <translation>&lt;b&gt;学习&lt;/b&gt;用完了全部时间（把购买记录学了 {rounds}）：时间再长一些，它可能学到更多</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="141"/>
        <source>&lt;b&gt;Learning&lt;/b&gt; ended by itself after {rounds} through the history, when it stopped getting better</source>
        <translation>&lt;b&gt;学习&lt;/b&gt;把购买记录学了 {rounds}后，因不再进步而自行结束</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="143"/>
        <source>&lt;b&gt;Learning&lt;/b&gt; made all of its {rounds} through the history</source>
        <translation>&lt;b&gt;学习&lt;/b&gt;完成了全部 {rounds}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="190"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="201"/>
        <source>Where the learning runs; Automatic uses a graphics card when there is one</source>
        <translation>在哪里学习；选“自动”时，有显卡就用显卡</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="202"/>
        <source>Learn on</source>
        <translation>学习设备</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="204"/>
        <source>Restore defaults</source>
        <translation>恢复默认值</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="209"/>
        <source>Learn from my shop</source>
        <translation>从我的店铺学习</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="211"/>
        <source>Learn from all the data in this workspace, then store every customer&apos;s list (Ctrl+T)</source>
        <translation>从本工作区的全部数据中学习，然后保存每位顾客的清单（Ctrl+T）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="242"/>
        <source>Customer id</source>
        <translation>顾客编号</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="244"/>
        <source>The most active customers are listed; type any customer id and press Enter</source>
        <translation>这里列出最活跃的顾客；也可以输入任意顾客编号后按回车</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="247"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="253"/>
        <source>Only items at least</source>
        <translation>只列出可能性不低于</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="255"/>
        <source>Off: every customer gets a full list. On: items less likely than this are left out, so some lists get shorter or empty.</source>
        <translation>关闭：每位顾客都得到完整清单。开启：可能性低于此值的商品不列出，有些清单会变短或为空。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="265"/>
        <source>The chance that the customer takes the item, as the model estimates it</source>
        <translation>模型估计的顾客选择该商品的可能性</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="269"/>
        <source>likely</source>
        <translation>的商品</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="273"/>
        <source>At most this many items per list</source>
        <translation>每份清单最多这么多件商品</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="280"/>
        <source>0 lists the likeliest items only; higher values mix in more different items</source>
        <translation>0 表示只列最可能的商品；数值越高，混入的不同商品越多</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="282"/>
        <source>Items per list</source>
        <translation>每份清单的商品数</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="285"/>
        <source>Variety</source>
        <translation>多样性</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="298"/>
        <source>Rank</source>
        <translation>名次</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="298"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="298"/>
        <source>Title</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="298"/>
        <source>Chance</source>
        <translation>可能性</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="299"/>
        <source>Why</source>
        <translation>推荐理由</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="301"/>
        <source>The shop&apos;s item id</source>
        <translation>店铺里的商品编号</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="302"/>
        <source>How likely the customer takes it, as the model estimates</source>
        <translation>模型估计的顾客选择它的可能性</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="303"/>
        <source>What in the customer&apos;s history led to it</source>
        <translation>顾客历史中的哪些行为引出了这条推荐</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="319"/>
        <source>Use these settings for all customers</source>
        <translation>把这些设置用于所有顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="321"/>
        <source>Store every customer&apos;s list with these settings; the Export tab writes the stored lists</source>
        <translation>按这些设置保存每位顾客的清单；“导出”页会导出保存的清单</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="343"/>
        <source>No data yet.

Import your shop&apos;s exports in the Data tab, then let ShopRec learn from them here.</source>
        <translation>还没有数据。

请先在“数据”页导入店铺的导出文件，再在这里让 ShopRec 学习。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="350"/>
        <source>Not learned yet.

Press “Learn from my shop” on the left to make a list for every customer.</source>
        <translation>还没有学习。

点左侧的“从我的店铺学习”，为每位顾客生成清单。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="382"/>
        <source>&lt;b&gt;Learned&lt;/b&gt; {when} on the {device} in {seconds} s (run {run})</source>
        <translation>&lt;b&gt;已学习&lt;/b&gt;：{when}，在{device}上用时 {seconds} 秒（第 {run} 次）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="393"/>
        <source>&lt;b&gt;Chances&lt;/b&gt; checked against what customers really did: off by {points} percentage points on average</source>
        <translation>&lt;b&gt;可能性&lt;/b&gt;已与顾客的实际行为核对：平均偏差 {points} 个百分点</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="397"/>
        <source>&lt;b&gt;Chances&lt;/b&gt; are rough: there was too little data to check them</source>
        <translation>&lt;b&gt;可能性&lt;/b&gt;只是粗略估计：数据太少，无法核对</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="401"/>
        <source>, {mean} items each on average; {coverage} of your products are in some list</source>
        <translation>，平均每份 {mean} 件商品；{coverage} 的商品出现在至少一份清单里</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="406"/>
        <source>{n} customers without history get the best sellers</source>
        <translation>{n} 位没有历史记录的顾客得到的是畅销商品</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="415"/>
        <source>Most lists are empty with the filter at {theta}: few items are that likely. Lower it or switch it off on the right, then press “Use these settings for all customers”.</source>
        <translation>筛选设为 {theta} 时，大多数清单是空的：很少有商品可能性这么高。请在右侧调低或关闭筛选，然后点“把这些设置用于所有顾客”。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="419"/>
        <source>At {theta} half the customers get a full list.</source>
        <translation>设为 {theta} 时，一半顾客能得到完整清单。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="450"/>
        <source>{n} events</source>
        <translation>{n} 条行为</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="476"/>
        <source>Check the settings: {error}</source>
        <translation>请检查设置：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="501"/>
        <source>Getting ready to learn {title}…</source>
        <translation>正在准备学习“{title}”…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="502"/>
        <source>Learning {title}…</source>
        <translation>正在学习“{title}”…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="511"/>
        <source>{title} learned in {seconds} s.</source>
        <translation>“{title}”学习完成，用时 {seconds} 秒。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="517"/>
        <source>{title} learned</source>
        <translation>“{title}”学习完成</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="522"/>
        <source>Learning cancelled; the lists from before (if any) are unchanged.</source>
        <translation>学习已取消；之前的清单（如有）保持不变。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="523"/>
        <source>Learning cancelled</source>
        <translation>学习已取消</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="534"/>
        <source>Loading what was learned…</source>
        <translation>正在加载学习结果…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="541"/>
        <source>Could not load what was learned: {error}</source>
        <translation>无法加载学习结果：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="558"/>
        <source>{n} items were added since this was learned; they are not suggested until you let it learn again.</source>
        <translation>学习之后新增了 {n} 件商品；重新学习之前不会推荐它们。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="597"/>
        <source>Choose a customer above to see their list.</source>
        <translation>在上方选一位顾客，查看其清单。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="623"/>
        <source>Select an item to see what is similar to it.</source>
        <translation>选中一件商品，查看与它相似的商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="628"/>
        <source>This customer has no usable history yet: the list shows the best sellers.</source>
        <translation>这位顾客还没有可用的历史记录：清单显示的是畅销商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="631"/>
        <source>This customer id is not in the workspace: the list shows the best sellers.</source>
        <translation>工作区里没有这个顾客编号：清单显示的是畅销商品。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="636"/>
        <source>{n} items are at least {theta} likely; showing the top {shown}.</source>
        <translation>有 {n} 件商品的可能性不低于 {theta}；显示前 {shown} 件。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="643"/>
        <source>Their likeliest item is {best}; lower the filter below that or switch it off.</source>
        <translation>其可能性最高的商品为 {best}；请把筛选调到这个值以下，或关闭筛选。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="645"/>
        <source>Switch the filter off to see a full list.</source>
        <translation>关闭筛选即可看到完整清单。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="646"/>
        <source>No item is at least {theta} likely for customer {customer}.

{hint}</source>
        <translation>对顾客 {customer} 来说，没有可能性不低于 {theta} 的商品。

{hint}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="664"/>
        <source>This method does not tell which items are similar to {title}.</source>
        <translation>这种方法无法判断哪些商品与“{title}”相似。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="669"/>
        <source>Similar to {title}:</source>
        <translation>与“{title}”相似：</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="681"/>
        <source>Preparing every customer&apos;s list…</source>
        <translation>正在为每位顾客准备清单…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="688"/>
        <source>stored ({top} items each at most{filter}); the Export tab writes them.</source>
        <translation>已保存（每份最多 {top} 件商品{filter}）；“导出”页会导出它们。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/strategy.py" line="690"/>
        <source>, only items at least {theta} likely</source>
        <translation>，只含可能性不低于 {theta} 的商品</translation>
    </message>
</context>
<context>
    <name>_PathEdit</name>
    <message>
        <location filename="../../desktop/forms.py" line="85"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../desktop/forms.py" line="91"/>
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
</context>
</TS>
