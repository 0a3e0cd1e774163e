-- The default channels of a new site (PRODUCT.md); admins and the importer add more.
-- Kept in step with haowen_core::channel::DEFAULT_CHANNELS (a unit test checks the pair).
INSERT INTO channels (slug, name, position) VALUES
    ('headlines', '头条', 1),
    ('sports', '体育', 2),
    ('ent', '娱乐', 3),
    ('money', '财经', 4),
    ('tech', '科技', 5),
    ('auto', '汽车', 6),
    ('edu', '教育', 7),
    ('fashion', '时尚', 8),
    ('art', '艺术', 9),
    ('home', '家居', 10),
    ('game', '游戏', 11),
    ('house', '房产', 12),
    ('politics', '时政', 13),
    ('society', '社会', 14),
    ('war', '军事', 15),
    ('world', '国际', 16),
    ('travel', '旅游', 17),
    ('culture', '文化', 18);
